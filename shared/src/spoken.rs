//! Counts and ages as people say them on the tablet: "1 biên bản, 12 ý kiến
//! chưa gửi", "3 giờ trước", not a count of changes or "2880 phút".

use crate::error::Lang;

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;
const DAY_MS: i64 = 24 * HOUR_MS;

/// How long ago something happened, `elapsed_ms` before now: minutes under
/// an hour, hours under two days, then days.
pub fn ago(elapsed_ms: i64, lang: Lang) -> String {
    let elapsed = elapsed_ms.max(0);
    let (n, vi, en) = if elapsed < MINUTE_MS {
        return match lang {
            Lang::Vi => "vừa xong".into(),
            Lang::En => "just now".into(),
        };
    } else if elapsed < HOUR_MS {
        (elapsed / MINUTE_MS, "phút", "min")
    } else if elapsed < 2 * DAY_MS {
        (elapsed / HOUR_MS, "giờ", "h")
    } else {
        (elapsed / DAY_MS, "ngày", "days")
    };
    match lang {
        Lang::Vi => format!("{n} {vi} trước"),
        Lang::En => format!("{n} {en} ago"),
    }
}

/// What is waiting to be sent, by the records a secretary counts: minutes
/// and opinions with changes the server has not acknowledged.
pub fn unsent(minutes: usize, opinions: usize, lang: Lang) -> String {
    let (minutes_word, opinions_word, tail) = match lang {
        Lang::Vi => (" biên bản", " ý kiến", " chưa gửi"),
        Lang::En => (
            " minutes",
            if opinions == 1 {
                " opinion"
            } else {
                " opinions"
            },
            " not sent",
        ),
    };
    let mut text = String::new();
    if minutes > 0 {
        text = format!("{minutes}{minutes_word}");
    }
    if opinions > 0 {
        if !text.is_empty() {
            text.push_str(", ");
        }
        text += &format!("{opinions}{opinions_word}");
    }
    text + tail
}

/// A whole number with its thousands marked as each language writes them:
/// "3.321" in Vietnamese, "3,321" in English.
pub fn count(n: u64, lang: Lang) -> String {
    let mark = match lang {
        Lang::Vi => '.',
        Lang::En => ',',
    };
    let digits = n.to_string();
    let mut text = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            text.push(mark);
        }
        text.push(digit);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_mark_thousands_as_each_language_does() {
        assert_eq!(count(0, Lang::Vi), "0");
        assert_eq!(count(999, Lang::Vi), "999");
        assert_eq!(count(3321, Lang::Vi), "3.321");
        assert_eq!(count(3321, Lang::En), "3,321");
        assert_eq!(count(1_000_000, Lang::Vi), "1.000.000");
    }

    #[test]
    fn ages_are_said_in_minutes_then_hours_then_days() {
        assert_eq!(ago(20_000, Lang::Vi), "vừa xong");
        assert_eq!(ago(-5_000, Lang::Vi), "vừa xong");
        assert_eq!(ago(5 * MINUTE_MS + 59_000, Lang::Vi), "5 phút trước");
        assert_eq!(ago(59 * MINUTE_MS, Lang::Vi), "59 phút trước");
        assert_eq!(ago(HOUR_MS, Lang::Vi), "1 giờ trước");
        assert_eq!(ago(47 * HOUR_MS, Lang::Vi), "47 giờ trước");
        // The "2880 phút trước".
        assert_eq!(ago(2880 * MINUTE_MS, Lang::Vi), "2 ngày trước");
        assert_eq!(ago(2880 * MINUTE_MS, Lang::En), "2 days ago");
        assert_eq!(ago(90 * MINUTE_MS, Lang::En), "1 h ago");
    }

    #[test]
    fn unsent_records_are_counted_as_minutes_and_opinions() {
        assert_eq!(unsent(1, 12, Lang::Vi), "1 biên bản, 12 ý kiến chưa gửi");
        assert_eq!(unsent(0, 3, Lang::Vi), "3 ý kiến chưa gửi");
        assert_eq!(unsent(2, 0, Lang::Vi), "2 biên bản chưa gửi");
        assert_eq!(unsent(1, 1, Lang::En), "1 minutes, 1 opinion not sent");
        assert_eq!(unsent(0, 12, Lang::En), "12 opinions not sent");
    }
}
