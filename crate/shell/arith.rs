//! Arithmetic expansion `$((…))` as dash evaluates it: 64-bit integers with
//! wrap-around, C operators and precedence (no `++`, `--`, `**` or `,`),
//! assignment operators, `?:` with short-circuit, variables read as integers
//! (`Illegal number: abc` otherwise), and dash's error texts
//! (`arithmetic expression: division by zero: "1/0"`).
//!
//! An expression is lexed once into [`Expr`] (tokens), so a literal `$((i+1))`
//! in a loop is not re-lexed; evaluation walks the tokens the way dash's
//! recursive evaluator does, with a depth cap so `((((…))))` cannot exhaust
//! the stack.

/// Deepest nesting of parentheses and unary operators evaluated.
const MAX_DEPTH: u32 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    // binary operators, in dash's precedence groups
    Mul,
    Div,
    Rem,
    Add,
    Sub,
    Shl,
    Shr,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    BAnd,
    BXor,
    BOr,
    // others
    And,
    Or,
    Not,
    BNot,
    LParen,
    RParen,
    QMark,
    Colon,
    Assign,
    /// `op=`
    AssignOp(BinOp),
}

/// The binary operators an assignment operator can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BinOp(u8);

impl Op {
    fn prec(self) -> Option<u8> {
        Some(match self {
            Op::Mul | Op::Div | Op::Rem => 0,
            Op::Add | Op::Sub => 1,
            Op::Shl | Op::Shr => 2,
            Op::Lt | Op::Le | Op::Gt | Op::Ge => 3,
            Op::Eq | Op::Ne => 4,
            Op::BAnd => 5,
            Op::BXor => 6,
            Op::BOr => 7,
            _ => return None,
        })
    }
    fn to_bin(self) -> BinOp {
        BinOp(match self {
            Op::Mul => 0,
            Op::Div => 1,
            Op::Rem => 2,
            Op::Add => 3,
            Op::Sub => 4,
            Op::Shl => 5,
            Op::Shr => 6,
            Op::BAnd => 13,
            Op::BXor => 14,
            _ => 15,
        })
    }
    fn from_bin(b: BinOp) -> Op {
        match b.0 {
            0 => Op::Mul,
            1 => Op::Div,
            2 => Op::Rem,
            3 => Op::Add,
            4 => Op::Sub,
            5 => Op::Shl,
            6 => Op::Shr,
            13 => Op::BAnd,
            14 => Op::BXor,
            _ => Op::BOr,
        }
    }
}

const MAX_PREC: u8 = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
enum T {
    Eof,
    Bad,
    Num(i64),
    Var(String),
    Op(Op),
}

/// A lexed arithmetic expression.
#[derive(Debug, Clone)]
pub struct Expr {
    text: String,
    toks: Vec<T>,
}

impl Expr {
    /// Lexes `text` (the expansion's text after `$x` and `$(…)` are expanded).
    pub fn lex(text: &str) -> Expr {
        let b = text.as_bytes();
        let mut i = 0;
        let mut toks = Vec::new();
        loop {
            while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n') {
                i += 1;
            }
            if i >= b.len() {
                toks.push(T::Eof);
                break;
            }
            let c = b[i];
            if c.is_ascii_digit() {
                let (v, n) = strtoimax(&b[i..]);
                toks.push(T::Num(v));
                i += n.max(1);
                continue;
            }
            if c == b'_' || c.is_ascii_alphabetic() {
                let s = i;
                while i < b.len() && (b[i] == b'_' || b[i].is_ascii_alphanumeric()) {
                    i += 1;
                }
                toks.push(T::Var(text[s..i].to_string()));
                continue;
            }
            let next = b.get(i + 1).copied();
            let next2 = b.get(i + 2).copied();
            let (op, len) = match c {
                b'=' if next == Some(b'=') => (Op::Eq, 2),
                b'=' => (Op::Assign, 1),
                b'>' if next == Some(b'=') => (Op::Ge, 2),
                b'>' if next == Some(b'>') && next2 == Some(b'=') => (Op::AssignOp(Op::Shr.to_bin()), 3),
                b'>' if next == Some(b'>') => (Op::Shr, 2),
                b'>' => (Op::Gt, 1),
                b'<' if next == Some(b'=') => (Op::Le, 2),
                b'<' if next == Some(b'<') && next2 == Some(b'=') => (Op::AssignOp(Op::Shl.to_bin()), 3),
                b'<' if next == Some(b'<') => (Op::Shl, 2),
                b'<' => (Op::Lt, 1),
                b'|' if next == Some(b'|') => (Op::Or, 2),
                b'|' if next == Some(b'=') => (Op::AssignOp(Op::BOr.to_bin()), 2),
                b'|' => (Op::BOr, 1),
                b'&' if next == Some(b'&') => (Op::And, 2),
                b'&' if next == Some(b'=') => (Op::AssignOp(Op::BAnd.to_bin()), 2),
                b'&' => (Op::BAnd, 1),
                b'!' if next == Some(b'=') => (Op::Ne, 2),
                b'!' => (Op::Not, 1),
                b'(' => (Op::LParen, 1),
                b')' => (Op::RParen, 1),
                b'~' => (Op::BNot, 1),
                b'?' => (Op::QMark, 1),
                b':' => (Op::Colon, 1),
                b'*' | b'/' | b'%' | b'+' | b'-' | b'^' => {
                    let base = match c {
                        b'*' => Op::Mul,
                        b'/' => Op::Div,
                        b'%' => Op::Rem,
                        b'+' => Op::Add,
                        b'-' => Op::Sub,
                        _ => Op::BXor,
                    };
                    if next == Some(b'=') {
                        (Op::AssignOp(base.to_bin()), 2)
                    } else {
                        (base, 1)
                    }
                }
                _ => {
                    toks.push(T::Bad);
                    break;
                }
            };
            toks.push(T::Op(op));
            i += len;
        }
        Expr { text: text.to_string(), toks }
    }

    /// Evaluates the expression against `vars`.
    pub fn eval(&self, vars: &mut dyn Vars) -> Result<i64, String> {
        let mut ev = Eval { e: self, pos: 0, last: T::Eof, vars, depth: 0 };
        let t = ev.next();
        let r = ev.assignment(t, false)?;
        if ev.last != T::Eof {
            return Err(ev.error("expecting EOF"));
        }
        Ok(r)
    }
}

/// The variables an expression reads and assigns.
pub trait Vars {
    /// The integer value of a variable (0 when unset or empty); `Illegal number: x` otherwise.
    fn get_int(&mut self, name: &str) -> Result<i64, String>;
    fn set_int(&mut self, name: &str, value: i64) -> Result<(), String>;
}

/// C's `strtoimax(s, &end, 0)` on a string starting with a digit: the value
/// (saturated) and the bytes used.
fn strtoimax(b: &[u8]) -> (i64, usize) {
    let (base, start) = if b.len() >= 2 && b[0] == b'0' && (b[1] == b'x' || b[1] == b'X') {
        if b.get(2).is_some_and(|c| c.is_ascii_hexdigit()) {
            (16u32, 2)
        } else {
            return (0, 1);
        }
    } else if b[0] == b'0' {
        (8, 0)
    } else {
        (10, 0)
    };
    let mut v: i64 = 0;
    let mut over = false;
    let mut i = start;
    while i < b.len() {
        let d = match (b[i] as char).to_digit(base) {
            Some(d) => d as i64,
            None => break,
        };
        match v.checked_mul(base as i64).and_then(|x| x.checked_add(d)) {
            Some(x) => v = x,
            None => over = true,
        }
        i += 1;
    }
    (if over { i64::MAX } else { v }, i)
}

/// dash's `atomax(s, 0)` for variable values: optional blanks and sign, a
/// number in any C base, trailing blanks; empty is 0.
pub fn parse_int(s: &str) -> Option<i64> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    if t.is_empty() {
        // strtoimax consumed nothing; dash only complains when a base is given
        return if s.trim().is_empty() { Some(0) } else { None };
    }
    let (neg, body) = match t.as_bytes()[0] {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let bb = body.as_bytes();
    if bb.is_empty() || !bb[0].is_ascii_digit() {
        return None;
    }
    let (base, start) = if bb.len() >= 2 && bb[0] == b'0' && (bb[1] == b'x' || bb[1] == b'X') && bb.get(2).is_some_and(|c| c.is_ascii_hexdigit()) {
        (16u32, 2)
    } else if bb[0] == b'0' {
        (8, 0)
    } else {
        (10, 0)
    };
    let mut v: i128 = 0;
    let mut i = start;
    while i < bb.len() {
        match (bb[i] as char).to_digit(base) {
            Some(d) => {
                v = v * base as i128 + d as i128;
                if v > i64::MAX as i128 + 1 {
                    return None;
                }
            }
            None => break,
        }
        i += 1;
    }
    if !body[i..].trim_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']).is_empty() {
        return None;
    }
    let v = if neg { -v } else { v };
    if v > i64::MAX as i128 || v < i64::MIN as i128 {
        return None;
    }
    Some(v as i64)
}

struct Eval<'a> {
    e: &'a Expr,
    pos: usize,
    last: T,
    vars: &'a mut dyn Vars,
    depth: u32,
}

type R = Result<i64, String>;

impl Eval<'_> {
    fn next(&mut self) -> T {
        let t = self.e.toks.get(self.pos).cloned().unwrap_or(T::Eof);
        if self.pos < self.e.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn error(&self, what: &str) -> String {
        format!("arithmetic expression: {what}: \"{}\"", self.e.text)
    }

    fn deeper(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("nested too deeply (playground limit)"));
        }
        Ok(())
    }

    fn binop_value(&self, op: Op, a: i64, b: i64) -> R {
        Ok(match op {
            Op::Div | Op::Rem => {
                if b == 0 {
                    return Err(self.error("division by zero"));
                }
                if op == Op::Rem {
                    a.wrapping_rem(b)
                } else {
                    a.wrapping_div(b)
                }
            }
            Op::Mul => a.wrapping_mul(b),
            Op::Add => a.wrapping_add(b),
            Op::Sub => a.wrapping_sub(b),
            Op::Shl => a.wrapping_shl(b as u32),
            Op::Shr => a.wrapping_shr(b as u32),
            Op::Lt => (a < b) as i64,
            Op::Le => (a <= b) as i64,
            Op::Gt => (a > b) as i64,
            Op::Ge => (a >= b) as i64,
            Op::Eq => (a == b) as i64,
            Op::Ne => (a != b) as i64,
            Op::BAnd => a & b,
            Op::BXor => a ^ b,
            _ => a | b,
        })
    }

    fn assignment(&mut self, var: T, noeval: bool) -> R {
        self.deeper()?;
        let op = self.next();
        let r = match (&var, &op) {
            (T::Var(name), T::Op(Op::Assign)) | (T::Var(name), T::Op(Op::AssignOp(_))) => {
                let name = name.clone();
                let t = self.next();
                let result = self.assignment(t, noeval)?;
                if noeval {
                    result
                } else {
                    let v = match op {
                        T::Op(Op::AssignOp(b)) => {
                            let cur = self.vars.get_int(&name)?;
                            self.binop_value(Op::from_bin(b), cur, result)?
                        }
                        _ => result,
                    };
                    self.vars.set_int(&name, v)?;
                    v
                }
            }
            _ => self.cond(var, op, noeval)?,
        };
        self.depth -= 1;
        Ok(r)
    }

    fn cond(&mut self, tok: T, op: T, noeval: bool) -> R {
        let a = self.or(tok, op, noeval)?;
        if self.last != T::Op(Op::QMark) {
            return Ok(a);
        }
        let t = self.next();
        let b = self.assignment(t, noeval || a == 0)?;
        if self.last != T::Op(Op::Colon) {
            return Err(self.error("expecting ':'"));
        }
        let t = self.next();
        let o = self.next();
        self.deeper()?;
        let c = self.cond(t, o, noeval || a != 0)?;
        self.depth -= 1;
        Ok(if a != 0 { b } else { c })
    }

    fn or(&mut self, tok: T, op: T, noeval: bool) -> R {
        let a = self.and(tok, op, noeval)?;
        if self.last != T::Op(Op::Or) {
            return Ok(a);
        }
        let t = self.next();
        let o = self.next();
        self.deeper()?;
        let b = self.or(t, o, noeval || a != 0)?;
        self.depth -= 1;
        Ok((a != 0 || b != 0) as i64)
    }

    fn and(&mut self, tok: T, op: T, noeval: bool) -> R {
        let a = self.binop(tok, op, noeval)?;
        if self.last != T::Op(Op::And) {
            return Ok(a);
        }
        let t = self.next();
        let o = self.next();
        self.deeper()?;
        let b = self.and(t, o, noeval || a == 0)?;
        self.depth -= 1;
        Ok((a != 0 && b != 0) as i64)
    }

    fn binop(&mut self, tok: T, op: T, noeval: bool) -> R {
        let a = self.primary(tok, op, noeval)?;
        match self.last {
            T::Op(o) if o.prec().is_some() => self.binop2(a, o, MAX_PREC, noeval),
            _ => Ok(a),
        }
    }

    fn binop2(&mut self, mut a: i64, mut op: Op, prec: u8, noeval: bool) -> R {
        self.deeper()?;
        loop {
            let t = self.next();
            let o = self.next();
            let mut b = self.primary(t, o, noeval)?;
            let mut op2 = self.last.clone();
            if let T::Op(o2) = op2 {
                if let (Some(p2), Some(p)) = (o2.prec(), op.prec()) {
                    if p2 < p {
                        b = self.binop2(b, o2, p, noeval)?;
                        op2 = self.last.clone();
                    }
                }
            }
            a = if noeval { b } else { self.binop_value(op, a, b)? };
            match op2 {
                T::Op(o2) if o2.prec().is_some_and(|p2| p2 < prec) => op = o2,
                _ => {
                    self.depth -= 1;
                    return Ok(a);
                }
            }
        }
    }

    fn primary(&mut self, tok: T, op: T, noeval: bool) -> R {
        self.deeper()?;
        let mut tok = tok;
        let mut op = op;
        let r = loop {
            match tok {
                T::Op(Op::LParen) => {
                    let result = self.assignment(op, noeval)?;
                    if self.last != T::Op(Op::RParen) {
                        return Err(self.error("expecting ')'"));
                    }
                    self.last = self.next();
                    break result;
                }
                T::Num(v) => {
                    self.last = op;
                    break v;
                }
                T::Var(name) => {
                    self.last = op;
                    break if noeval { 0 } else { self.vars.get_int(&name)? };
                }
                T::Op(Op::Add) => {
                    tok = op;
                    op = self.next();
                    continue;
                }
                T::Op(Op::Sub) => {
                    let n = self.next();
                    break self.primary(op, n, noeval)?.wrapping_neg();
                }
                T::Op(Op::Not) => {
                    let n = self.next();
                    break (self.primary(op, n, noeval)? == 0) as i64;
                }
                T::Op(Op::BNot) => {
                    let n = self.next();
                    break !self.primary(op, n, noeval)?;
                }
                _ => return Err(self.error("expecting primary")),
            }
        };
        self.depth -= 1;
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct M(HashMap<String, String>);
    impl Vars for M {
        fn get_int(&mut self, name: &str) -> Result<i64, String> {
            let v = self.0.get(name).cloned().unwrap_or_default();
            parse_int(&v).ok_or_else(|| format!("Illegal number: {v}"))
        }
        fn set_int(&mut self, name: &str, value: i64) -> Result<(), String> {
            self.0.insert(name.into(), value.to_string());
            Ok(())
        }
    }

    fn ev(s: &str) -> Result<i64, String> {
        Expr::lex(s).eval(&mut M(HashMap::new()))
    }

    #[test]
    fn evaluates_like_dash() {
        assert_eq!(ev("1+2*3"), Ok(7));
        assert_eq!(ev("010 + 0x10"), Ok(24));
        assert_eq!(ev("-5/2"), Ok(-2));
        assert_eq!(ev("-5%2"), Ok(-1));
        assert_eq!(ev("7 > 3 ? 1 : 2"), Ok(1));
        assert_eq!(ev("!0"), Ok(1));
        assert_eq!(ev("~0"), Ok(-1));
        assert_eq!(ev("++x"), Ok(0));
        assert_eq!(ev("a=b=3"), Ok(3));
        assert_eq!(ev("9223372036854775807 + 1"), Ok(i64::MIN));
        assert_eq!(ev("99999999999999999999"), Ok(i64::MAX));
        assert_eq!(ev("1 - 2 - 3"), Ok(-4));
        assert_eq!(ev("2 + 3 << 1"), Ok(10));
        assert_eq!(ev("1 | 2 ^ 3 & 4"), Ok(3));
        assert_eq!(ev("(1+2)*3"), Ok(9));
        assert_eq!(ev("0 && (y=1)"), Ok(0));
        assert_eq!(ev("1/0"), Err("arithmetic expression: division by zero: \"1/0\"".into()));
        assert_eq!(ev("2**3"), Err("arithmetic expression: expecting primary: \"2**3\"".into()));
        assert_eq!(ev("08"), Err("arithmetic expression: expecting EOF: \"08\"".into()));
        assert_eq!(ev(" 1, 2 "), Err("arithmetic expression: expecting EOF: \" 1, 2 \"".into()));
        assert_eq!(ev("1 ? 2 : x=3"), Err("arithmetic expression: expecting EOF: \"1 ? 2 : x=3\"".into()));
        assert!(ev(&"(".repeat(100_000)).is_err());
        assert!(ev(&"-".repeat(100_000)).is_err());
    }

    #[test]
    fn variable_values() {
        assert_eq!(parse_int(" 5 "), Some(5));
        assert_eq!(parse_int("5a"), None);
        assert_eq!(parse_int(""), Some(0));
        assert_eq!(parse_int("-0x10"), Some(-16));
        assert_eq!(parse_int("1+2"), None);
    }
}
