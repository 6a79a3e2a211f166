//! Five-field cron schedules as Kubernetes' `CronJob` reads them (robfig/cron standard
//! parser): minute hour day-of-month month day-of-week, each `*`, a value, a range `a-b`,
//! a step `*/n` or `a-b/n` (or `a/n`, from `a` to the field's end), or a comma list of those.
//! Months and weekdays also take three-letter names; weekday 7 is Sunday like 0.

/// A parsed schedule: the allowed values of every field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub minutes: Vec<u32>,
    pub hours: Vec<u32>,
    pub days: Vec<u32>,
    pub months: Vec<u32>,
    pub weekdays: Vec<u32>,
    /// Day of month or day of week was restricted (not `*`).
    pub restricted_days: bool,
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
    let parts: Vec<&str> = text.split_whitespace().collect();
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
    Ok(Schedule {
        restricted_days: parts[2] != "*" || parts[4] != "*",
        hours: sets.pop().unwrap_or_default(),
        minutes: sets.pop().unwrap_or_default(),
        days,
        months,
        weekdays,
    })
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

impl Schedule {
    /// The longest time between two runs, in seconds, over a week of minutes; a schedule
    /// that restricts days of month or months falls back to the longest such period
    /// (31 days, a year), which errs on the side of alerting late rather than falsely.
    pub fn longest_gap_seconds(&self) -> u64 {
        if self.months.len() < 12 {
            return 366 * 86_400;
        }
        if self.days.len() < 31 {
            return 31 * 86_400;
        }
        let runs: Vec<u64> = (0..7u32)
            .filter(|day| self.weekdays.contains(day))
            .flat_map(|day| {
                self.hours.iter().flat_map(move |hour| {
                    self.minutes
                        .iter()
                        .map(move |minute| u64::from(day * 1440 + hour * 60 + minute) * 60)
                })
            })
            .collect();
        let week = 7 * 86_400;
        let mut gap = runs.first().map_or(week, |first| first + week - runs[runs.len() - 1]);
        for pair in runs.windows(2) {
            gap = gap.max(pair[1] - pair[0]);
        }
        gap
    }
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
    }
}
