//! Calendar arithmetic and formatting for the virtual clock: `date +FORMAT`
//! (GNU `strftime` conversions with the `-_0^#` flags and widths), the dates
//! `ls -l` prints, and parsing the dates `date -d` and `touch -d/-t` accept.
//! The playground has one time zone: UTC (as containers without TZ data do).

pub use crate::civil::{civil_from_days, days_from_civil};

/// A broken-down UTC time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tm {
    pub year: i64,
    pub mon: u32,
    pub day: u32,
    pub hour: u32,
    pub min: u32,
    pub sec: u32,
    /// 0 = Sunday.
    pub wday: u32,
    /// 0-based day of the year.
    pub yday: u32,
}

pub fn tm(t: i64) -> Tm {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (year, mon, day) = civil_from_days(days);
    let yday = (days - days_from_civil(year, 1, 1)) as u32;
    Tm {
        year,
        mon,
        day,
        hour: (secs / 3600) as u32,
        min: (secs / 60 % 60) as u32,
        sec: (secs % 60) as u32,
        wday: (days + 4).rem_euclid(7) as u32,
        yday,
    }
}

pub const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
pub const MONTHS: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

fn iso_week(t: &Tm) -> (i64, u32) {
    let ordinal = t.yday as i64 + 1;
    let wd = if t.wday == 0 { 7 } else { t.wday as i64 };
    let week = (ordinal - wd + 10) / 7;
    if week < 1 {
        (t.year - 1, weeks_in_year(t.year - 1))
    } else if week > weeks_in_year(t.year) as i64 {
        (t.year + 1, 1)
    } else {
        (t.year, week as u32)
    }
}

fn weeks_in_year(y: i64) -> u32 {
    let jan1 = (days_from_civil(y, 1, 1) + 4).rem_euclid(7); // 0 = Sunday
    if jan1 == 4 || (is_leap(y) && jan1 == 3) {
        53
    } else {
        52
    }
}

pub fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// GNU `date +FORMAT` of the UTC time `t`.
pub fn strftime(fmt: &str, t: i64) -> String {
    let tm = tm(t);
    let mut o = String::new();
    let cs: Vec<char> = fmt.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        i += 1;
        if c != '%' {
            o.push(c);
            continue;
        }
        let start = i - 1;
        let mut pad: Option<char> = None;
        let mut upper = false;
        let mut swap = false;
        while i < cs.len() && matches!(cs[i], '-' | '_' | '0' | '^' | '#') {
            match cs[i] {
                '-' => pad = Some('-'),
                '_' => pad = Some('_'),
                '0' => pad = Some('0'),
                '^' => upper = true,
                _ => swap = true,
            }
            i += 1;
        }
        let mut width: Option<usize> = None;
        while i < cs.len() && cs[i].is_ascii_digit() {
            width = Some(width.unwrap_or(0).saturating_mul(10).saturating_add(cs[i] as usize - '0' as usize).min(4096));
            i += 1;
        }
        let mut colons = 0;
        while i < cs.len() && cs[i] == ':' {
            colons += 1;
            i += 1;
        }
        if i >= cs.len() {
            o.extend(cs[start..].iter());
            break;
        }
        let conv = cs[i];
        i += 1;
        // (text, numeric default pad char, natural width)
        let num = |v: i64, w: usize, p: char| -> (String, bool, char, usize) { (v.to_string(), true, p, w) };
        let txt = |s: String| -> (String, bool, char, usize) { (s, false, ' ', 0) };
        let h12 = if tm.hour.is_multiple_of(12) { 12 } else { tm.hour % 12 };
        let (s, numeric, defpad, natw) = match conv {
            'a' => txt(DAYS[tm.wday as usize][..3].to_string()),
            'A' => txt(DAYS[tm.wday as usize].to_string()),
            'b' | 'h' => txt(MONTHS[tm.mon as usize - 1][..3].to_string()),
            'B' => txt(MONTHS[tm.mon as usize - 1].to_string()),
            'c' => txt(strftime("%a %b %e %H:%M:%S %Y", t)),
            'C' => num(tm.year.div_euclid(100), 2, '0'),
            'd' => num(tm.day as i64, 2, '0'),
            'D' => txt(strftime("%m/%d/%y", t)),
            'e' => num(tm.day as i64, 2, ' '),
            'F' => txt(strftime("%Y-%m-%d", t)),
            'g' => num(iso_week(&tm).0.rem_euclid(100), 2, '0'),
            'G' => num(iso_week(&tm).0, 4, '0'),
            'H' => num(tm.hour as i64, 2, '0'),
            'I' => num(h12 as i64, 2, '0'),
            'j' => num(tm.yday as i64 + 1, 3, '0'),
            'k' => num(tm.hour as i64, 2, ' '),
            'l' => num(h12 as i64, 2, ' '),
            'm' => num(tm.mon as i64, 2, '0'),
            'M' => num(tm.min as i64, 2, '0'),
            'n' => txt("\n".into()),
            'N' => num(0, 9, '0'),
            'p' => txt(if tm.hour < 12 { "AM" } else { "PM" }.into()),
            'P' => txt(if tm.hour < 12 { "am" } else { "pm" }.into()),
            'q' => num((tm.mon as i64 - 1) / 3 + 1, 1, '0'),
            'r' => txt(strftime("%I:%M:%S %p", t)),
            'R' => txt(strftime("%H:%M", t)),
            's' => num(t, 1, '0'),
            'S' => num(tm.sec as i64, 2, '0'),
            't' => txt("\t".into()),
            'T' => txt(strftime("%H:%M:%S", t)),
            'u' => num(if tm.wday == 0 { 7 } else { tm.wday as i64 }, 1, '0'),
            'U' => num((tm.yday as i64 + 7 - tm.wday as i64) / 7, 2, '0'),
            'V' => num(iso_week(&tm).1 as i64, 2, '0'),
            'w' => num(tm.wday as i64, 1, '0'),
            'W' => num((tm.yday as i64 + 7 - ((tm.wday as i64 + 6) % 7)) / 7, 2, '0'),
            'x' => txt(strftime("%m/%d/%y", t)),
            'X' => txt(strftime("%H:%M:%S", t)),
            'y' => num(tm.year.rem_euclid(100), 2, '0'),
            'Y' => num(tm.year, 1, '0'),
            'z' => txt(match colons {
                0 => "+0000".into(),
                1 => "+00:00".into(),
                2 => "+00:00:00".into(),
                _ => "+00".into(),
            }),
            'Z' => txt(if swap { "utc".into() } else { "UTC".into() }),
            '%' => txt("%".into()),
            _ => {
                o.extend(cs[start..i].iter());
                continue;
            }
        };
        let mut s = if upper || (swap && conv != 'Z' && !numeric) { s.to_uppercase() } else { s };
        let w = width.unwrap_or(if numeric { natw } else { 0 });
        let padc = match pad {
            Some('-') => None,
            Some('_') => Some(' '),
            Some('0') => Some('0'),
            _ => Some(if numeric { defpad } else { ' ' }),
        };
        if let Some(p) = padc {
            if pad == Some('-') || s.len() >= w {
            } else if p == '0' && s.starts_with('-') {
                let rest = s[1..].to_string();
                s = format!("-{}{}", "0".repeat(w - s.len()), rest);
            } else {
                s = format!("{}{}", p.to_string().repeat(w - s.len()), s);
            }
        } else if numeric && matches!(conv, 'e' | 'k' | 'l') {
            s = s.trim_start().to_string();
        }
        o.push_str(&s);
    }
    o
}

/// Parses the dates `date -d` and `touch -d` accept: `@SECONDS`, `now`, `today`,
/// `yesterday`, `tomorrow`, `YYYY-MM-DD`, `YYYY-MM-DD[T ]HH:MM[:SS][Z|+00:00]`,
/// `HH:MM[:SS]` (today), and `N (second|minute|hour|day|week)s? [ago]`
/// relative to `now`.
pub fn parse_date(s: &str, now: i64) -> Option<i64> {
    let s = s.trim();
    let lower = s.to_ascii_lowercase();
    if let Some(n) = s.strip_prefix('@') {
        return n.trim().parse::<i64>().ok().or_else(|| n.trim().parse::<f64>().ok().map(|f| f.floor() as i64));
    }
    let today = now - now.rem_euclid(86_400);
    match lower.as_str() {
        "" | "now" => return Some(now),
        "today" => return Some(now),
        "yesterday" => return Some(now - 86_400),
        "tomorrow" => return Some(now + 86_400),
        "midnight" => return Some(today),
        _ => {}
    }
    // relative: "N unit [ago]" (also "+N unit", "-N unit", "next week", "last day")
    let words: Vec<&str> = lower.split_whitespace().collect();
    if !words.is_empty() {
        let mut total = 0i64;
        let mut i = 0;
        let mut ok = true;
        while i < words.len() {
            let (n, unit_at) = match words[i].parse::<i64>() {
                Ok(n) => (n, i + 1),
                Err(_) => match words[i] {
                    "next" => (1, i + 1),
                    "last" => (-1, i + 1),
                    _ => (1, i),
                },
            };
            let Some(unit) = words.get(unit_at) else {
                ok = false;
                break;
            };
            let secs = match unit.trim_end_matches('s') {
                "sec" | "second" => 1,
                "min" | "minute" => 60,
                "hour" => 3600,
                "day" => 86_400,
                "week" | "fortnight" if unit.starts_with('f') => 14 * 86_400,
                "week" => 7 * 86_400,
                "fortnight" => 14 * 86_400,
                "month" => 30 * 86_400,
                "year" => 365 * 86_400,
                _ => {
                    ok = false;
                    break;
                }
            };
            let mut v = n.saturating_mul(secs);
            i = unit_at + 1;
            if words.get(i) == Some(&"ago") {
                v = -v;
                i += 1;
            }
            total = total.saturating_add(v);
        }
        if ok {
            return Some(now.saturating_add(total));
        }
    }
    // absolute: date, optional time, optional zone
    let (date_part, time_part) = match s.find(['T', ' ']) {
        Some(i) => (&s[..i], Some(s[i + 1..].trim())),
        None => (s, None),
    };
    let (days, time_part) = if let Some(d) = parse_ymd(date_part) {
        (d, time_part)
    } else if date_part.contains(':') && time_part.is_none() {
        (today.div_euclid(86_400), Some(date_part))
    } else {
        return None;
    };
    let mut secs = days.checked_mul(86_400)?;
    if let Some(tp) = time_part {
        let tp = tp.trim_end_matches(['Z', 'z']).trim();
        let tp = match tp.find(['+', '-']) {
            Some(i) => {
                let off = parse_offset(&tp[i..])?;
                secs -= off;
                &tp[..i]
            }
            None => tp.strip_suffix("UTC").or_else(|| tp.strip_suffix("utc")).unwrap_or(tp).trim(),
        };
        if !tp.is_empty() {
            let parts: Vec<&str> = tp.split(':').collect();
            if parts.len() < 2 || parts.len() > 3 {
                return None;
            }
            let h: i64 = parts[0].parse().ok()?;
            let m: i64 = parts[1].parse().ok()?;
            let sec: f64 = parts.get(2).map(|x| x.parse::<f64>()).transpose().ok()?.unwrap_or(0.0);
            if h > 24 || m > 59 || !(0.0..61.0).contains(&sec) {
                return None;
            }
            secs += h * 3600 + m * 60 + sec as i64;
        }
    }
    Some(secs)
}

fn parse_offset(s: &str) -> Option<i64> {
    let sign = if s.starts_with('-') { -1 } else { 1 };
    let d: String = s[1..].chars().filter(|c| *c != ':').collect();
    if d.len() != 4 && d.len() != 2 {
        return None;
    }
    let h: i64 = d[..2].parse().ok()?;
    let m: i64 = if d.len() == 4 { d[2..].parse().ok()? } else { 0 };
    Some(sign * (h * 3600 + m * 60))
}

fn parse_ymd(s: &str) -> Option<i64> {
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let y: i64 = parts[0].parse().ok()?;
    let m: u32 = parts[1].parse().ok()?;
    let d: u32 = parts[2].parse().ok()?;
    if !(1..=12).contains(&m) || d < 1 || d > month_days(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

fn month_days(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `touch -t [[CC]YY]MMDDhhmm[.ss]`.
pub fn parse_touch_stamp(s: &str, now: i64) -> Option<i64> {
    let (main, ss) = match s.split_once('.') {
        Some((a, b)) if b.len() == 2 && b.bytes().all(|c| c.is_ascii_digit()) => (a, b.parse::<u32>().ok()?),
        Some(_) => return None,
        None => (s, 0),
    };
    if !main.bytes().all(|c| c.is_ascii_digit()) || ss > 60 {
        return None;
    }
    let n = |a: &str| a.parse::<u32>().ok();
    let (year, rest) = match main.len() {
        8 => (tm(now).year, main),
        10 => {
            let yy = n(&main[..2])? as i64;
            (if yy < 69 { 2000 + yy } else { 1900 + yy }, &main[2..])
        }
        12 => (n(&main[..4])? as i64, &main[4..]),
        _ => return None,
    };
    let (mo, d, h, mi) = (n(&rest[..2])?, n(&rest[2..4])?, n(&rest[4..6])?, n(&rest[6..8])?);
    if !(1..=12).contains(&mo) || d < 1 || d > month_days(year, mo) || h > 23 || mi > 59 {
        return None;
    }
    Some(days_from_civil(year, mo, d) * 86_400 + h as i64 * 3600 + mi as i64 * 60 + ss as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_gnu_date() {
        assert_eq!(strftime("%a %b %e %H:%M:%S %Z %Y", 0), "Thu Jan  1 00:00:00 UTC 1970");
        assert_eq!(
            strftime("%a %A %b %B %C %d %D %e %F %g %G %H %I %j %k %l %m %M %p %s %S %T %u %U %V %w %W %y %Y %z %:z %%", 100_000_000),
            "Sat Saturday Mar March 19 03 03/03/73  3 1973-03-03 73 1973 09 09 062  9  9 03 46 AM 100000000 40 09:46:40 6 08 09 6 09 73 1973 +0000 +00:00 %"
        );
        assert_eq!(strftime("%-d|%_m|%05d|%^a", 0), "1| 1|00001|THU");
        assert_eq!(strftime("%V %G", days_from_civil(2021, 1, 3) * 86400), "53 2020");
        assert_eq!(strftime("%V %G", days_from_civil(2024, 12, 30) * 86400), "01 2025");
    }

    #[test]
    fn parses_dates() {
        assert_eq!(parse_date("2024-02-03 10:11", 0), Some(1_706_955_060));
        assert_eq!(parse_date("@5", 0), Some(5));
        assert_eq!(parse_date("1 day ago", 86_400), Some(0));
        assert_eq!(parse_date("xyz", 0), None);
        assert_eq!(parse_touch_stamp("202402031011.05", 0), Some(1_706_955_065));
    }
}
