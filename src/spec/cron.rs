//! Five-field cron schedules as Kubernetes' `CronJob` reads them (robfig/cron standard
//! parser): minute hour day-of-month month day-of-week, each `*`, a value, a range `a-b`,
//! a step `*/n` or `a-b/n` (or `a/n`, from `a` to the field's end), or a comma list of those.
//! Months and weekdays also take three-letter names; weekday 7 is Sunday like 0. The
//! `@yearly`, `@monthly`, `@weekly`, `@daily` (`@midnight`) and `@hourly` shorthands stand
//! for their five fields. A schedule that no date matches (`0 0 30 2 *`) is rejected.
//!
//! One parser serves jobs and datastore backups; the longest gap between two runs, which the
//! "not succeeding" and "backup too old" alerts are built on, is computed exactly.

/// A parsed schedule: the allowed values of every field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub minutes: Vec<u32>,
    pub hours: Vec<u32>,
    pub days: Vec<u32>,
    pub months: Vec<u32>,
    pub weekdays: Vec<u32>,
    /// Both day of month and day of week are restricted (not `*`): a day then matches when
    /// either does (cron's rule); otherwise when both do.
    pub either_day: bool,
}

struct Field {
    name: &'static str,
    low: u32,
    high: u32,
    names: &'static [&'static str],
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const FIELDS: [Field; 5] = [
    Field {
        name: "minute",
        low: 0,
        high: 59,
        names: &[],
    },
    Field {
        name: "hour",
        low: 0,
        high: 23,
        names: &[],
    },
    Field {
        name: "day of month",
        low: 1,
        high: 31,
        names: &[],
    },
    Field {
        name: "month",
        low: 1,
        high: 12,
        names: MONTHS,
    },
    Field {
        name: "day of week",
        low: 0,
        high: 7,
        names: WEEKDAYS,
    },
];

pub fn schedule(text: &str) -> Result<Schedule, String> {
    let expanded = match text.trim() {
        "@yearly" | "@annually" => "0 0 1 1 *",
        "@monthly" => "0 0 1 * *",
        "@weekly" => "0 0 * * 0",
        "@daily" | "@midnight" => "0 0 * * *",
        "@hourly" => "0 * * * *",
        other => other,
    };
    let parts: Vec<&str> = expanded.split_whitespace().collect();
    if parts.len() != 5 {
        return Err(format!(
            "`{text}` has {} fields; a schedule has five: minute hour day-of-month month day-of-week",
            parts.len()
        ));
    }
    let mut sets = Vec::with_capacity(5);
    for (part, field) in parts.iter().zip(&FIELDS) {
        sets.push(values(part, field).map_err(|problem| format!("{} `{part}`: {problem}", field.name))?);
    }
    let mut weekdays = sets.pop().unwrap_or_default();
    if weekdays.contains(&7) {
        weekdays.retain(|d| *d != 7);
        if !weekdays.contains(&0) {
            weekdays.insert(0, 0);
        }
    }
    let months = sets.pop().unwrap_or_default();
    let days = sets.pop().unwrap_or_default();
    let parsed = Schedule {
        either_day: !parts[2].starts_with('*') && !parts[4].starts_with('*'),
        hours: sets.pop().unwrap_or_default(),
        minutes: sets.pop().unwrap_or_default(),
        days,
        months,
        weekdays,
    };
    if parsed.run_minutes().next().is_none() {
        return Err(format!(
            "`{text}` never runs: no date matches its day of month and month"
        ));
    }
    Ok(parsed)
}

fn values(part: &str, field: &Field) -> Result<Vec<u32>, String> {
    let mut found = Vec::new();
    for item in part.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((range, step)) => (range, Some(number(step, field, false)?)),
            None => (item, None),
        };
        let (low, high) = if range == "*" {
            (field.low, field.high)
        } else if let Some((a, b)) = range.split_once('-') {
            (number(a, field, true)?, number(b, field, true)?)
        } else {
            let start = number(range, field, true)?;
            (start, if step.is_some() { field.high } else { start })
        };
        if low > high {
            return Err(format!("the range {low}-{high} runs backwards"));
        }
        let step = step.unwrap_or(1);
        if step == 0 {
            return Err("a step must be at least 1".into());
        }
        found.extend((low..=high).step_by(step as usize));
    }
    found.sort_unstable();
    found.dedup();
    Ok(found)
}

/// A value of the field (or a step when `in_range` is false).
fn number(text: &str, field: &Field, in_range: bool) -> Result<u32, String> {
    let lower = text.to_ascii_lowercase();
    if in_range && let Some(index) = field.names.iter().position(|n| *n == lower) {
        let offset = u32::from(field.low == 1);
        return Ok(index as u32 + offset);
    }
    let value: u32 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number{}", names_hint(field)))?;
    if in_range && !(field.low..=field.high).contains(&value) {
        return Err(format!("{value} is outside {}–{}", field.low, field.high));
    }
    Ok(value)
}

fn names_hint(field: &Field) -> String {
    if field.names.is_empty() {
        String::new()
    } else {
        format!(" or a name ({})", field.names.join(", "))
    }
}

/// The calendar walked for gaps: 2000-01-01 (a Saturday) and the eight years after it, so
/// every date falls on every weekday and two leap days are included.
const WALK_DAYS: u64 = 9 * 365 + 2;

impl Schedule {
    /// The longest time between two consecutive runs, in seconds (a schedule that runs once
    /// in the walked years counts as nine years apart).
    pub fn longest_gap_seconds(&self) -> u64 {
        let mut runs = self.run_minutes();
        let Some(first) = runs.next() else {
            return WALK_DAYS * 86_400;
        };
        let (mut previous, mut longest) = (first, 0);
        for at in runs {
            longest = longest.max(at - previous);
            previous = at;
        }
        if previous == first {
            WALK_DAYS * 86_400
        } else {
            longest * 60
        }
    }

    /// Every run in the walked years, as minutes since 2000-01-01 00:00.
    fn run_minutes(&self) -> impl Iterator<Item = u64> + '_ {
        (0..WALK_DAYS)
            .filter(|day_number| self.runs_on(*day_number))
            .flat_map(move |day_number| {
                self.hours.iter().flat_map(move |hour| {
                    self.minutes
                        .iter()
                        .map(move |minute| day_number * 1440 + u64::from(hour * 60 + minute))
                })
            })
    }

    fn runs_on(&self, day_number: u64) -> bool {
        let (month, day) = month_and_day(day_number);
        // Day 0 was a Saturday (6).
        let weekday = u32::try_from((day_number + 6) % 7).unwrap_or(0);
        let by_date = self.days.contains(&day);
        let by_weekday = self.weekdays.contains(&weekday);
        let by_day = if self.either_day {
            by_date || by_weekday
        } else {
            by_date && by_weekday
        };
        self.months.contains(&month) && by_day
    }
}

/// (month 1–12, day 1–31) of a day counted from 2000-01-01.
fn month_and_day(day_number: u64) -> (u32, u32) {
    let mut year = 2000;
    let mut rest = day_number;
    loop {
        let length = if year % 4 == 0 { 366 } else { 365 };
        if rest < length {
            break;
        }
        rest -= length;
        year += 1;
    }
    let february = if year % 4 == 0 { 29 } else { 28 };
    let mut month = 1;
    for length in [31, february, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] {
        if rest < length {
            break;
        }
        rest -= length;
        month += 1;
    }
    (month, u32::try_from(rest + 1).unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_schedules_parse() {
        let s = schedule("30 6 * * 1-5").unwrap();
        assert_eq!((s.minutes.clone(), s.hours.clone()), (vec![30], vec![6]));
        assert_eq!(s.weekdays, vec![1, 2, 3, 4, 5]);
        assert_eq!(schedule("*/15 * * * *").unwrap().minutes, vec![0, 15, 30, 45]);
        assert_eq!(schedule("0 0 1,15 jan-mar *").unwrap().months, vec![1, 2, 3]);
        assert_eq!(schedule("0 0 * * 7").unwrap().weekdays, vec![0]);
        assert_eq!(schedule("0 0 * * SUN,sat").unwrap().weekdays, vec![0, 6]);
        assert_eq!(schedule("5/20 * * * *").unwrap().minutes, vec![5, 25, 45]);
    }

    #[test]
    fn errors_name_the_wrong_field() {
        let cases = [
            ("0 25 * * *", "hour `25`: 25 is outside 0–23"),
            ("60 * * * *", "minute `60`"),
            ("0 0 0 * *", "day of month `0`"),
            ("0 0 * 13 *", "month `13`"),
            ("0 0 * * 8", "day of week `8`"),
            ("0 0 * * mon-", "day of week `mon-`"),
            ("*/0 * * * *", "a step must be at least 1"),
            ("5-1 * * * *", "runs backwards"),
            ("0 7 * *", "has 4 fields"),
            ("0 7 * * * *", "has 6 fields"),
            ("x * * * *", "`x` is not a number"),
            ("0 0 * foo *", "or a name (jan"),
        ];
        for (text, want) in cases {
            let error = schedule(text).unwrap_err();
            assert!(error.contains(want), "{text}: {error}");
        }
    }

    #[test]
    fn gaps_follow_the_schedule() {
        let gap = |text| schedule(text).unwrap().longest_gap_seconds();
        assert_eq!(gap("0 7 * * *"), 86_400);
        assert_eq!(gap("30 6 * * 1-5"), 3 * 86_400);
        assert_eq!(gap("*/15 * * * *"), 900);
        assert_eq!(gap("0 7 1 * *"), 31 * 86_400);
        assert_eq!(gap("0 0 1 1 *"), 366 * 86_400);
        assert_eq!(gap("0 2 * * *"), 86_400);
        assert_eq!(gap("0 */6 * * *"), 6 * 3600);
        assert_eq!(gap("@weekly"), 7 * 86_400);
        assert_eq!(gap("@hourly"), 3600);
        assert_eq!(gap("0 0 1 */3 *"), 92 * 86_400);
        // The 1st of the month or any Sunday: never more than a week apart (either day).
        assert!(gap("0 0 1 * sun") <= 7 * 86_400);
        // The 29th of February: once in four years.
        assert_eq!(gap("0 0 29 2 *"), (4 * 365 + 1) * 86_400);
    }

    #[test]
    fn a_schedule_no_date_matches_is_rejected() {
        let error = schedule("0 0 30 2 *").unwrap_err();
        assert!(error.contains("never runs"), "{error}");
        assert!(schedule("0 0 31 4 *").is_err());
        assert!(schedule("@daily").is_ok());
    }
}
