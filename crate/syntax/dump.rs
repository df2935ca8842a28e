//! BuildKit's `Node.Dump()`: one s-expression per instruction, as in BuildKit's parser
//! test corpus (`(run "echo hi")`, `(copy ["--from=a"] "x" "/y")`, `(onbuild (run "x"))`).

use super::text::{go_lower, go_quote_into};
use super::tree::{Form, Instruction, SyntaxTree};

/// The dump of the whole tree: one line per instruction, each ending with `\n`.
pub fn dump(tree: &SyntaxTree) -> String {
    let mut out = String::new();
    for ins in tree.instructions() {
        out.push('(');
        out.push_str(&dump_instruction(tree, ins));
        out.push_str(")\n");
    }
    out
}

/// The dump of one instruction, without the outer parentheses.
pub fn dump_instruction(tree: &SyntaxTree, ins: &Instruction) -> String {
    let mut s = go_lower(ins.keyword.text(tree));
    if !ins.flags.is_empty() {
        s.push_str(" [");
        for (i, f) in ins.flags.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            go_quote_into(&mut s, f.text(tree));
        }
        s.push(']');
    }
    match ins.form {
        Form::Ignored => s.push_str(" \"\""),
        Form::Onbuild { trigger } => {
            if let Some(t) = trigger.and_then(|i| tree.triggers.get(i as usize)) {
                s.push_str(" (");
                s.push_str(&dump_instruction(tree, t));
                s.push(')');
            }
        }
        _ => {
            for a in tree.args(ins) {
                s.push(' ');
                go_quote_into(&mut s, a.text(tree));
            }
        }
    }
    s.trim().to_owned()
}
