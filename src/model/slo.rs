//! The multi-window, multi-burn-rate alert policy (Google SRE workbook, ch. 5), shared by
//! the SLO check (E0080) and the Prometheus renderer so they can never disagree.
//!
//! For a 30-day SLO: page at 14.4× over 1h and 5m, and at 6× over 6h and 30m; ticket at 3×
//! over 1d and 2h, and at 1× over 3d and 6h. Other windows keep the burn-rate factors (each
//! still spends the same fraction of the budget) and scale the alert windows by
//! `window / 30d`, rounded to whole minutes with a floor of five minutes: the Prometheus
//! renderer builds every window from error and request rates recorded over 5m, so a shorter
//! window could not be told apart from 5m anyway.

use super::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Page,
    Ticket,
}

#[derive(Debug, Clone, Copy)]
pub struct BurnAlert {
    pub urgency: Urgency,
    /// Burn rate: how many times faster than "exactly spend the budget in the window".
    pub factor: f64,
    pub long: Duration,
    pub short: Duration,
}

const MINUTE: u64 = 60_000;
const THIRTY_DAYS: u64 = 30 * 24 * 60 * MINUTE;
/// The shortest alert window: the resolution of the recorded rates.
pub const SHORTEST_WINDOW_MINUTES: u64 = 5;

/// (urgency, factor, long window, short window) for a 30-day SLO, in minutes.
const WORKBOOK: [(Urgency, f64, u64, u64); 4] = [
    (Urgency::Page, 14.4, 60, 5),
    (Urgency::Page, 6.0, 360, 30),
    (Urgency::Ticket, 3.0, 1440, 120),
    (Urgency::Ticket, 1.0, 4320, 360),
];

/// The fastest page's burn rate: an objective whose budget × this ≥ 1 can never page.
pub const FASTEST_PAGE_FACTOR: f64 = WORKBOOK[0].1;

pub fn burn_alerts(slo_window: Duration) -> Vec<BurnAlert> {
    WORKBOOK
        .iter()
        .map(|&(urgency, factor, long, short)| BurnAlert {
            urgency,
            factor,
            long: scale(long, slo_window),
            short: scale(short, slo_window),
        })
        .collect()
}

fn scale(minutes: u64, slo_window: Duration) -> Duration {
    let scaled = (minutes * MINUTE) as f64 * slo_window.millis as f64 / THIRTY_DAYS as f64;
    let whole_minutes = ((scaled / MINUTE as f64).round() as u64).max(SHORTEST_WINDOW_MINUTES);
    Duration {
        millis: whole_minutes * MINUTE,
    }
}

/// Every distinct window the alerts of an SLO need, shortest first.
pub fn alert_windows(slo_window: Duration) -> Vec<Duration> {
    let mut windows: Vec<Duration> = burn_alerts(slo_window).iter().flat_map(|a| [a.long, a.short]).collect();
    windows.sort();
    windows.dedup();
    windows
}

/// Whether the fastest page alert can ever fire for this objective (percent).
pub fn can_page(objective_percent: f64) -> bool {
    let budget = 1.0 - objective_percent / 100.0;
    FASTEST_PAGE_FACTOR * budget < 1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_days_uses_the_workbook_windows() {
        let windows: Vec<String> = alert_windows(Duration::from_secs(30 * 86_400))
            .iter()
            .map(|d| d.text())
            .collect();
        assert_eq!(windows, ["5m", "30m", "1h", "2h", "6h", "1d", "3d"]);
    }

    #[test]
    fn other_windows_scale_proportionally() {
        let alerts = burn_alerts(Duration::from_secs(7 * 86_400));
        assert_eq!(alerts[0].long.text(), "14m");
        assert_eq!(alerts[0].short.text(), "5m", "floored at the 5m rate resolution");
        assert_eq!(
            alerts[3].long.text(),
            "1008m",
            "3d × 7/30 is not a whole number of hours"
        );
    }

    #[test]
    fn long_windows_scale_without_the_floor() {
        let windows = |days: u64| -> Vec<String> {
            alert_windows(Duration::from_secs(days * 86_400))
                .iter()
                .map(|d| d.text())
                .collect()
        };
        assert_eq!(windows(28), ["5m", "28m", "56m", "112m", "336m", "1344m", "4032m"]);
        assert_eq!(windows(90), ["15m", "90m", "3h", "6h", "18h", "3d", "9d"]);
    }

    #[test]
    fn low_objectives_cannot_page() {
        assert!(can_page(99.9));
        assert!(can_page(93.1));
        assert!(!can_page(93.0), "14.4 × 7% ≥ 1");
        assert!(!can_page(50.0));
    }
}
