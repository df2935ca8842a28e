//! Timestamps as images carry them: RFC 3339 with nanoseconds, trailing zeros
//! dropped (Go's `time.RFC3339Nano`), always UTC when written; parsed back
//! (any offset) for `images` and `history`. And the human forms `docker`
//! prints: `3 seconds ago`, `About an hour ago` (go-units' `HumanDuration`).

use crate::civil::{civil, days_from_civil};

/// Formats Unix seconds (+ nanoseconds) as `2026-11-25T16:00:18.737685788Z`.
pub fn format_rfc3339(secs: i64, nanos: u32) -> String {
    let (y, m, d, h, mi, se) = civil(secs);
    let mut s = format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{se:02}");
    if nanos > 0 && nanos < 1_000_000_000 {
        let frac = format!("{nanos:09}");
        s.push('.');
        s.push_str(frac.trim_end_matches('0'));
    }
    s.push('Z');
    s
}

/// Parses an RFC 3339 time (`Z` or `±hh:mm`, optional fraction) into Unix seconds
/// and nanoseconds. `None` for anything else.
pub fn parse_rfc3339(s: &str) -> Option<(i64, u32)> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        if t.bytes().all(|c| c.is_ascii_digit()) {
            t.parse().ok()
        } else {
            None
        }
    };
    let (y, mo, d, h, mi, se) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let mut i = 19;
    let mut nanos: u32 = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let digits = &s[start..i];
        if digits.is_empty() {
            return None;
        }
        let mut padded = digits.chars().take(9).collect::<String>();
        while padded.len() < 9 {
            padded.push('0');
        }
        nanos = padded.parse().ok()?;
    }
    let offset = match &s[i..] {
        "Z" | "z" => 0,
        o if o.len() == 6 && (o.starts_with('+') || o.starts_with('-')) && &o[3..4] == ":" => {
            let oh: i64 = o[1..3].parse().ok()?;
            let om: i64 = o[4..6].parse().ok()?;
            let v = oh * 3600 + om * 60;
            if o.starts_with('-') {
                -v
            } else {
                v
            }
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo as u32, d as u32);
    Some((days * 86_400 + h * 3600 + mi * 60 + se - offset, nanos))
}

/// go-units' `HumanDuration` of `seconds`: `Less than a second`, `3 seconds`,
/// `About a minute`, `5 minutes`, `About an hour`, `3 hours`, `2 days`, `3 weeks`,
/// `4 months`, `2 years`.
pub fn human_duration(seconds: i64) -> String {
    let s = seconds;
    if s < 1 {
        return "Less than a second".into();
    }
    if s == 1 {
        return "1 second".into();
    }
    if s < 60 {
        return format!("{s} seconds");
    }
    let minutes = s / 60;
    if minutes == 1 {
        return "About a minute".into();
    }
    if minutes < 60 {
        return format!("{minutes} minutes");
    }
    let hours = (s as f64 / 3600.0).round() as i64;
    if hours == 1 {
        return "About an hour".into();
    }
    if hours < 48 {
        return format!("{hours} hours");
    }
    if hours < 24 * 7 * 2 {
        return format!("{} days", hours / 24);
    }
    if hours < 24 * 30 * 2 {
        return format!("{} weeks", hours / 24 / 7);
    }
    if hours < 24 * 365 * 2 {
        return format!("{} months", hours / 24 / 30);
    }
    format!("{} years", s / 3600 / 24 / 365)
}

/// `created` relative to `now` as `docker images` prints it: `3 minutes ago`.
pub fn ago(created: i64, now: i64) -> String {
    format!("{} ago", human_duration(now - created))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(format_rfc3339(0, 0), "1970-01-01T00:00:00Z");
        assert_eq!(format_rfc3339(1_700_000_000, 0), "2023-11-14T22:13:20Z");
        assert_eq!(format_rfc3339(1_795_622_418, 737_685_788), "2026-11-25T16:00:18.737685788Z");
        assert_eq!(format_rfc3339(1_795_622_418, 671_572_610), "2026-11-25T16:00:18.67157261Z");
        assert_eq!(parse_rfc3339("2026-11-25T16:00:18.737685788Z"), Some((1_795_622_418, 737_685_788)));
        assert_eq!(parse_rfc3339("2023-11-15T07:13:20+09:00"), Some((1_700_000_000, 0)));
        assert_eq!(parse_rfc3339("1969-12-31T23:59:59Z"), Some((-1, 0)));
        assert_eq!(format_rfc3339(-1, 0), "1969-12-31T23:59:59Z");
        assert_eq!(parse_rfc3339("yesterday"), None);
        assert_eq!(parse_rfc3339("2026-13-01T00:00:00Z"), None);
    }

    #[test]
    fn human_like_go_units() {
        assert_eq!(human_duration(0), "Less than a second");
        assert_eq!(human_duration(3), "3 seconds");
        assert_eq!(human_duration(90), "About a minute");
        assert_eq!(human_duration(240), "4 minutes");
        assert_eq!(human_duration(5400), "2 hours");
        assert_eq!(human_duration(3 * 86400), "3 days");
        assert_eq!(ago(100, 128), "28 seconds ago");
    }
}
