//! Panel builders and the grid layout. Panels are JSON values built with `serde_json::json!`
//! (spec strings enter as data, never as text), in the shapes Grafana's dashboard schemas
//! demand: `fieldConfig` with `defaults` and `overrides`, full `options`, and every target on
//! the `${datasource}` variable.

use serde_json::{Value, json};

const GRID_WIDTH: u32 = 24;

fn datasource() -> Value {
    json!({ "type": "prometheus", "uid": "${datasource}" })
}

/// Packs panels left to right, top to bottom on the 24-column grid; a row starts a new line.
#[derive(Default)]
pub(super) struct Layout {
    x: u32,
    y: u32,
    line_height: u32,
    next_id: u32,
    pub panels: Vec<Value>,
}

impl Layout {
    fn new_line(&mut self) {
        self.y += self.line_height;
        self.x = 0;
        self.line_height = 0;
    }

    fn id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    pub fn row(&mut self, title: &str) {
        if self.x > 0 {
            self.new_line();
        }
        let id = self.id();
        self.panels.push(json!({
            "type": "row", "id": id, "title": title, "collapsed": false, "panels": [],
            "gridPos": { "h": 1, "w": GRID_WIDTH, "x": 0, "y": self.y },
        }));
        self.y += 1;
    }

    pub fn add(&mut self, mut panel: Value, w: u32, h: u32) {
        if self.x + w > GRID_WIDTH {
            self.new_line();
        }
        let id = self.id();
        panel["id"] = json!(id);
        panel["gridPos"] = json!({ "h": h, "w": w, "x": self.x, "y": self.y });
        self.x += w;
        self.line_height = self.line_height.max(h);
        self.panels.push(panel);
    }
}

/// One `PromQL` query of a panel.
pub(super) struct Query {
    pub expr: String,
    pub legend: String,
    pub instant: bool,
    pub format: &'static str,
}

impl Query {
    pub fn range(expr: String, legend: &str) -> Self {
        Query {
            expr,
            legend: legend.to_string(),
            instant: false,
            format: "time_series",
        }
    }

    pub fn table(expr: String) -> Self {
        Query {
            expr,
            legend: String::new(),
            instant: true,
            format: "table",
        }
    }
}

fn targets(queries: Vec<Query>) -> Vec<Value> {
    queries
        .into_iter()
        .zip('A'..='Z')
        .map(|(q, ref_id)| {
            json!({
                "datasource": datasource(), "refId": ref_id.to_string(), "expr": q.expr,
                "legendFormat": q.legend, "editorMode": "code", "range": !q.instant,
                "instant": q.instant, "format": q.format,
            })
        })
        .collect()
}

/// A green base step, then (value, color) steps.
pub(super) fn thresholds(steps: &[(f64, &str)]) -> Value {
    let mut all = vec![json!({ "color": "green", "value": null })];
    all.extend(
        steps
            .iter()
            .map(|(value, color)| json!({ "color": color, "value": value })),
    );
    json!({ "mode": "absolute", "steps": all })
}

/// Red when overspent (below 0), orange below a quarter left, green otherwise.
pub(super) fn budget_thresholds() -> Value {
    json!({ "mode": "absolute", "steps": [
        { "color": "red", "value": null },
        { "color": "orange", "value": 0 },
        { "color": "green", "value": 0.25 },
    ]})
}

/// Optional axis bounds of a time series.
#[derive(Default, Clone, Copy)]
pub(super) struct Bounds {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

pub(super) const FROM_ZERO: Bounds = Bounds {
    min: Some(0.0),
    max: None,
};

pub(super) fn timeseries(
    title: &str,
    description: &str,
    queries: Vec<Query>,
    unit: &str,
    steps: &[(f64, &str)],
    bounds: Bounds,
) -> Value {
    let line_style = if steps.is_empty() { "off" } else { "dashed" };
    let mut defaults = json!({
        "unit": unit, "color": { "mode": "palette-classic" }, "thresholds": thresholds(steps),
        "custom": {
            "drawStyle": "line", "lineWidth": 1, "fillOpacity": 10, "showPoints": "never",
            "spanNulls": false, "thresholdsStyle": { "mode": line_style },
        },
    });
    if let Some(min) = bounds.min {
        defaults["min"] = json!(min);
    }
    if let Some(max) = bounds.max {
        defaults["max"] = json!(max);
    }
    json!({
        "type": "timeseries", "title": title, "description": description, "datasource": datasource(),
        "fieldConfig": { "defaults": defaults, "overrides": [] },
        "options": {
            "legend": { "displayMode": "list", "placement": "bottom", "showLegend": true, "calcs": [] },
            "tooltip": { "mode": "multi", "sort": "desc" },
        },
        "targets": targets(queries),
    })
}

/// A single-value panel over an instant query; `thresholds` as built above.
pub(super) fn stat(title: &str, description: &str, query: Query, unit: &str, thresholds: Value) -> Value {
    let query = Query { instant: true, ..query };
    json!({
        "type": "stat", "title": title, "description": description, "datasource": datasource(),
        "fieldConfig": {
            "defaults": { "unit": unit, "decimals": 1, "color": { "mode": "thresholds" }, "thresholds": thresholds },
            "overrides": [],
        },
        "options": {
            "graphMode": "none", "colorMode": "value", "justifyMode": "auto", "textMode": "auto",
            "wideLayout": true, "showPercentChange": false, "percentChangeColorMode": "standard",
            "orientation": "auto",
            "reduceOptions": { "calcs": ["lastNotNull"], "fields": "", "values": false },
        },
        "targets": targets(vec![query]),
    })
}

/// A table of instant queries merged on their labels, columns renamed.
pub(super) fn table(title: &str, description: &str, queries: Vec<Query>, organize: Value) -> Value {
    json!({
        "type": "table", "title": title, "description": description, "datasource": datasource(),
        "fieldConfig": {
            "defaults": {
                "unit": "percentunit", "decimals": 3, "thresholds": budget_thresholds(),
                "color": { "mode": "thresholds" },
            },
            "overrides": [],
        },
        "options": {
            "showHeader": true, "cellHeight": "sm",
            "footer": { "show": false, "reducer": ["sum"], "fields": "", "countRows": false },
        },
        "targets": targets(queries),
        "transformations": [{ "id": "merge", "options": {} }, { "id": "organize", "options": organize }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_never_overlaps() {
        let mut layout = Layout::default();
        layout.row("a");
        for (w, h) in [(8, 8), (8, 8), (8, 8), (12, 6), (12, 6), (10, 8)] {
            layout.add(json!({}), w, h);
        }
        layout.row("b");
        layout.add(json!({}), 24, 8);
        let mut cells = std::collections::BTreeSet::new();
        for panel in &layout.panels {
            let g = &panel["gridPos"];
            let (x, y, w, h) = (
                g["x"].as_u64().unwrap(),
                g["y"].as_u64().unwrap(),
                g["w"].as_u64().unwrap(),
                g["h"].as_u64().unwrap(),
            );
            assert!(x + w <= 24);
            for cx in x..x + w {
                for cy in y..y + h {
                    assert!(cells.insert((cx, cy)), "cell {cx},{cy} used twice");
                }
            }
        }
    }
}
