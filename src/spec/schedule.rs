//! Values of an alerting mute window: `"HH:MM-HH:MM"` times, weekday names and IANA time
//! zone names. Shared by the checks (which report a failure at the value) and the model
//! builder (which relies on them having passed).

/// The names Alertmanager accepts, Sunday first.
pub const WEEKDAYS: [&str; 7] = [
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
];

/// Every IANA zone and link name of the bundled tzdata (one a line, sorted, `#` comments).
const TIMEZONES: &str = include_str!("timezones.txt");

/// A start and end time of day, as Alertmanager writes them (`"02:00"`, `"24:00"`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TimeRange {
    pub start: String,
    pub end: String,
}

/// `"HH:MM-HH:MM"`: start in 00:00–23:59, end in 00:01–24:00, start before end.
pub fn time_range(text: &str) -> Result<TimeRange, String> {
    let error = |why: &str| format!("`{text}` is not a time range: {why}");
    let (start, end) = text.split_once('-').ok_or_else(|| error("expected \"HH:MM-HH:MM\""))?;
    let start_minutes = minutes(start.trim()).ok_or_else(|| error("the start is not a time of day (00:00–23:59)"))?;
    let end_minutes = minutes(end.trim()).ok_or_else(|| error("the end is not a time of day (00:00–24:00)"))?;
    if start_minutes >= 24 * 60 {
        return Err(error("the start must be before 24:00"));
    }
    if start_minutes >= end_minutes {
        return Err(error(
            "the start must be before the end (a window cannot cross midnight; use two)",
        ));
    }
    Ok(TimeRange {
        start: start.trim().to_string(),
        end: end.trim().to_string(),
    })
}

/// Minutes since midnight of `HH:MM`, up to 24:00 inclusive.
fn minutes(text: &str) -> Option<u32> {
    let (hours, minutes) = text.split_once(':')?;
    let two_digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(hours) || !two_digits(minutes) {
        return None;
    }
    let (hours, minutes): (u32, u32) = (hours.parse().ok()?, minutes.parse().ok()?);
    let valid = (hours < 24 && minutes < 60) || (hours == 24 && minutes == 0);
    valid.then_some(hours * 60 + minutes)
}

pub fn weekday(text: &str) -> Result<&'static str, String> {
    WEEKDAYS
        .iter()
        .find(|day| **day == text)
        .copied()
        .ok_or_else(|| format!("`{text}` is not a weekday (sunday … saturday, lowercase)"))
}

pub fn timezone(text: &str) -> Result<(), String> {
    if timezones().any(|zone| zone == text) {
        Ok(())
    } else {
        Err(format!(
            "`{text}` is not an IANA time zone name (such as `UTC` or `Europe/Berlin`)"
        ))
    }
}

/// Every known zone name, for "did you mean".
pub fn timezones() -> impl Iterator<Item = &'static str> {
    TIMEZONES.lines().filter(|line| !line.starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_ranges_are_times_of_one_day() {
        assert_eq!(
            time_range("02:00-04:00"),
            Ok(TimeRange {
                start: "02:00".into(),
                end: "04:00".into()
            })
        );
        assert!(time_range("22:00-24:00").is_ok());
        for bad in [
            "25:00-26:00",
            "2:00-4:00",
            "04:00-02:00",
            "02:00",
            "02:60-03:00",
            "24:00-24:00",
            "aa:bb-cc:dd",
        ] {
            assert!(time_range(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn weekdays_and_zones_are_known_names() {
        assert_eq!(weekday("sunday"), Ok("sunday"));
        assert!(weekday("sundae").is_err());
        assert!(weekday("Sunday").is_err());
        for zone in ["UTC", "Europe/Berlin", "America/New_York", "Etc/UTC"] {
            assert!(timezone(zone).is_ok(), "{zone}");
        }
        for zone in ["Mars/Olympus", "utc", ""] {
            assert!(timezone(zone).is_err(), "{zone}");
        }
    }
}
