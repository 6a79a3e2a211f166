//! Grafana dashboards → our own `deny_unknown_fields` types for the frame and every panel,
//! plus the layout rules: unique panel ids, no overlapping grid cells, uid of 8–40 characters.

use std::collections::BTreeSet;

use serde::Deserialize;
use serde_json::Value;

use super::strictly;

#[derive(Deserialize)]
#[allow(dead_code)] // deserialized only to type-check the document
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Dashboard {
    uid: String,
    title: String,
    description: String,
    tags: Vec<String>,
    timezone: String,
    editable: bool,
    graph_tooltip: u8,
    schema_version: u32,
    version: u32,
    refresh: String,
    time: Value,
    fiscal_year_start_month: u8,
    live_now: bool,
    annotations: Value,
    templating: Value,
    links: Vec<Value>,
    panels: Vec<Panel>,
}

#[derive(Deserialize)]
#[allow(dead_code)] // deserialized only to type-check the document
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Panel {
    #[serde(rename = "type")]
    kind: String,
    id: u32,
    title: String,
    grid_pos: GridPos,
    description: Option<String>,
    datasource: Option<Value>,
    field_config: Option<Value>,
    options: Option<Value>,
    targets: Option<Vec<Target>>,
    transformations: Option<Vec<Value>>,
    collapsed: Option<bool>,
    panels: Option<Vec<Value>>,
}

#[derive(Deserialize)]
#[allow(dead_code)] // deserialized only to type-check the document
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Target {
    datasource: Value,
    ref_id: String,
    expr: String,
    legend_format: String,
    editor_mode: String,
    range: bool,
    instant: bool,
    format: String,
}

#[derive(Deserialize)]
#[allow(dead_code)] // deserialized only to type-check the document
#[serde(deny_unknown_fields)]
struct GridPos {
    h: u32,
    w: u32,
    x: u32,
    y: u32,
}

pub fn verify(text: &str) -> Result<(), String> {
    let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let dashboard = strictly::<Dashboard>(value)?;
    if !(8..=40).contains(&dashboard.uid.len()) || dashboard.schema_version < 39 || dashboard.title.is_empty() {
        return Err(format!("dashboard {}: bad uid, title or schemaVersion", dashboard.uid));
    }
    let mut ids = BTreeSet::new();
    let mut cells = BTreeSet::new();
    for panel in &dashboard.panels {
        if !ids.insert(panel.id) {
            return Err(format!("panel id {} is used twice", panel.id));
        }
        let g = &panel.grid_pos;
        if g.x + g.w > 24 || g.w == 0 || g.h == 0 {
            return Err(format!("panel {} leaves the grid", panel.title));
        }
        for cell in (g.x..g.x + g.w).flat_map(|x| (g.y..g.y + g.h).map(move |y| (x, y))) {
            if !cells.insert(cell) {
                return Err(format!("panel {} overlaps another", panel.title));
            }
        }
        let needs_queries = panel.kind != "row";
        if needs_queries
            && panel
                .targets
                .as_ref()
                .is_none_or(|t| t.iter().any(|t| t.expr.is_empty()))
        {
            return Err(format!("panel {} has no queries", panel.title));
        }
    }
    Ok(())
}
