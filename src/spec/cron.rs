//! Five-field cron schedules as Kubernetes `CronJob`s read them (minute, hour, day of month,
//! month, day of week; `*`, lists, ranges, steps, month and weekday names, and the `@daily`
//! family), plus the longest gap between two runs, which the backup alerts are built on.

/// A parsed schedule: the allowed values of each field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    minutes: u64,
    hours: u64,
    days: u64,
    months: u64,
    weekdays: u64,
    /// Both day fields restricted: a day matches when either does (cron's rule).
    either_day: bool,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

impl Schedule {
    pub fn parse(text: &str) -> Result<Schedule, String> {
        let expanded = match text.trim() {
            "@yearly" | "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" | "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            other => other,
        };
        let fields: Vec<&str> = expanded.split_whitespace().collect();
        let [minute, hour, day, month, weekday] = fields[..] else {
            return Err(format!(
                "`{text}` is not a cron schedule: expected five fields (minute hour day-of-month month day-of-week), found {}",
                fields.len()
            ));
        };
        let weekdays = field(weekday, "day of week", 0, 7, &WEEKDAYS)?;
        let schedule = Schedule {
            minutes: field(minute, "minute", 0, 59, &[])?,
            hours: field(hour, "hour", 0, 23, &[])?,
            days: field(day, "day of month", 1, 31, &[])?,
            months: field(month, "month", 1, 12, &MONTHS)?,
            // 7 is Sunday too.
            weekdays: (weekdays | (weekdays >> 7)) & 0x7f,
            either_day: !day.starts_with('*') && !weekday.starts_with('*'),
        };
        if schedule.longest_gap_minutes().is_none() {
            return Err(format!("`{text}` never runs: no date matches its day and month"));
        }
        Ok(schedule)
    }

    /// The longest time between two consecutive runs, in minutes, over a nine-year window
    /// (two leap days, every weekday on every date); `None` when it never runs.
    pub fn longest_gap_minutes(&self) -> Option<u64> {
        let mut previous: Option<u64> = None;
        let mut longest = 0;
        let mut first = None;
        for day_number in 0..9 * 366 {
            let (year, month, day) = civil_from_days(day_number);
            // 2000-01-01, day 0, was a Saturday.
            let weekday = (day_number + 6) % 7;
            if year >= 2009 || !self.runs_on(month, day, weekday) {
                continue;
            }
            for minute_of_day in self.minutes_of_day() {
                let at = day_number * 1440 + minute_of_day;
                if let Some(before) = previous {
                    longest = longest.max(at - before);
                }
                first.get_or_insert(at);
                previous = Some(at);
            }
        }
        match (first, previous) {
            (Some(first), Some(last)) if first == last => Some(9 * 365 * 1440),
            (Some(_), Some(_)) => Some(longest),
            _ => None,
        }
    }

    fn runs_on(&self, month: u64, day: u64, weekday: u64) -> bool {
        let by_date = self.days & (1 << day) != 0;
        let by_weekday = self.weekdays & (1 << weekday) != 0;
        let by_day = if self.either_day {
            by_date || by_weekday
        } else {
            by_date && by_weekday
        };
        self.months & (1 << month) != 0 && by_day
    }

    fn minutes_of_day(&self) -> impl Iterator<Item = u64> + '_ {
        (0..24u64).filter(|h| self.hours & (1 << h) != 0).flat_map(move |h| {
            (0..60u64)
                .filter(|m| self.minutes & (1 << m) != 0)
                .map(move |m| h * 60 + m)
        })
    }
}

/// One field as a bit set of its allowed values.
fn field(text: &str, what: &str, low: u64, high: u64, names: &[&str]) -> Result<u64, String> {
    let bad = |detail: &str| format!("cron {what} `{text}`: {detail}");
    let mut bits = 0u64;
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((range, step)) => {
                let step: u64 = step.parse().ok().filter(|s| *s > 0).ok_or_else(|| bad("bad step"))?;
                (range, step)
            }
            None => (part, 1),
        };
        let (from, to) = if range == "*" {
            (low, high)
        } else if let Some((a, b)) = range.split_once('-') {
            (
                value(a, names, low).ok_or_else(|| bad("bad range"))?,
                value(b, names, low).ok_or_else(|| bad("bad range"))?,
            )
        } else {
            let start = value(range, names, low).ok_or_else(|| bad("not a number"))?;
            (start, if part.contains('/') { high } else { start })
        };
        if from < low || to > high || from > to {
            return Err(bad(&format!("values must be within {low}-{high}")));
        }
        bits |= (from..=to).step_by(step as usize).fold(0, |acc, v| acc | (1 << v));
    }
    Ok(bits)
}

fn value(text: &str, names: &[&str], low: u64) -> Option<u64> {
    text.parse().ok().or_else(|| {
        let lower = text.to_ascii_lowercase();
        let index = names.iter().position(|name| *name == lower)?;
        Some(index as u64 + low)
    })
}

/// (year, month 1-12, day 1-31) of a day counted from 2000-01-01.
fn civil_from_days(day_number: u64) -> (u64, u64, u64) {
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
    let lengths = [31, february, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut month = 1;
    for length in lengths {
        if rest < length {
            break;
        }
        rest -= length;
        month += 1;
    }
    (year, month, rest + 1)
}

#[cfg(test)]
mod tests {
    use super::Schedule;

    fn gap(text: &str) -> u64 {
        Schedule::parse(text).unwrap().longest_gap_minutes().unwrap()
    }

    #[test]
    fn gaps_of_common_schedules() {
        assert_eq!(gap("0 2 * * *"), 1440);
        assert_eq!(gap("0 */6 * * *"), 360);
        assert_eq!(gap("*/15 * * * *"), 15);
        assert_eq!(gap("@weekly"), 7 * 1440);
        assert_eq!(gap("30 1 * * mon-fri"), 3 * 1440);
        assert_eq!(gap("0 0 1 */3 *"), 92 * 1440);
    }

    #[test]
    fn both_day_fields_mean_either() {
        // The 1st of the month or any Sunday: never more than a week apart.
        assert!(gap("0 0 1 * sun") <= 7 * 1440);
    }

    #[test]
    fn malformed_schedules_are_rejected() {
        for bad in [
            "0 2 * *",
            "60 * * * *",
            "0 24 * * *",
            "0 0 0 * *",
            "* * * 13 *",
            "*/0 * * * *",
            "a b c d e",
            "0 0 30 2 *",
            "5-1 * * * *",
        ] {
            assert!(Schedule::parse(bad).is_err(), "{bad}");
        }
    }
}
