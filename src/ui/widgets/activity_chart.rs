//! The activity graph of the Nodes view: bars stacked by category, a legend,
//! the bucket and its counts on hover; a click shows that bucket's events
//! for the node in the events table.

use egui::{Color32, Sense, Ui, vec2};

use crate::analysis::activity::Activity;
use crate::display::thousands;
use crate::model::Category;
use crate::time::{UtcMs, Zone};
use crate::ui::command::{Command, Pivot, Tab};
use crate::ui::widgets::bars::bars_ui;

/// A color per category: reads blue, writes warm, sharing violet, logins green.
pub fn category_color(category: Category) -> Color32 {
    use Category::*;
    match category {
        Read => Color32::from_rgb(90, 150, 220),
        List => Color32::from_rgb(70, 110, 170),
        Download => Color32::from_rgb(120, 190, 240),
        Create => Color32::from_rgb(240, 180, 80),
        Upload => Color32::from_rgb(230, 140, 60),
        Modify => Color32::from_rgb(220, 110, 70),
        Move => Color32::from_rgb(200, 160, 120),
        Delete => Color32::from_rgb(220, 70, 70),
        Share => Color32::from_rgb(170, 110, 220),
        Permission => Color32::from_rgb(200, 130, 200),
        Login => Color32::from_rgb(100, 190, 120),
        LoginFailed => Color32::from_rgb(230, 90, 130),
        Lockout => Color32::from_rgb(200, 40, 90),
        Logout => Color32::from_rgb(80, 150, 100),
        Admin => Color32::from_rgb(160, 160, 160),
        Run => Color32::from_rgb(190, 200, 90),
        Other => Color32::from_rgb(120, 120, 120),
    }
}

#[must_use]
pub fn activity_chart_ui(
    ui: &mut Ui,
    activity: Option<&Activity>,
    // What a click narrows the events to, beside the bar's time.
    pivot: Option<Pivot>,
    zone: Zone,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(bars) = bars_ui(ui, activity, 90.0, Sense::click(), |part| {
        Category::ALL
            .get(part)
            .map_or(Color32::GRAY, |c| category_color(*c))
    }) else {
        return commands;
    };
    let (rect, painter, activity) = (bars.rect, &bars.painter, bars.buckets);
    painter.text(
        rect.left_top() + vec2(4.0, 2.0),
        egui::Align2::LEFT_TOP,
        format!(
            "{} - per {} - click a bar for its events",
            zone.format(activity.start),
            activity.size.name()
        ),
        egui::FontId::proportional(10.0),
        ui.visuals().weak_text_color(),
    );
    if let Some(index) = bars.hovered(ui) {
        let start = activity.bucket_start(index);
        let counts = activity.counts[index];
        let clicked = bars.response.clicked();
        bars.response.clone().on_hover_ui_at_pointer(|ui| {
            ui.label(format!(
                "{} (one {}): {} events",
                zone.format(start),
                activity.size.name(),
                thousands(counts.iter().sum())
            ));
            for (category, count) in Category::ALL.iter().zip(counts) {
                if count > 0 {
                    ui.colored_label(
                        category_color(*category),
                        format!("{category}: {}", thousands(count)),
                    );
                }
            }
        });
        if clicked {
            let end = start + activity.size.millis() - 1;
            if let Some(pivot) = pivot {
                commands.push(Command::Pivot(pivot));
            }
            commands.push(Command::SetDates(Some(UtcMs(start)), Some(UtcMs(end))));
            commands.push(Command::SetTab(Tab::Events));
        }
    }
    // The legend: the categories this node has.
    ui.horizontal_wrapped(|ui| {
        for (i, category) in Category::ALL.iter().enumerate() {
            if activity.counts.iter().any(|c| c[i] > 0) {
                ui.colored_label(category_color(*category), category.to_string());
            }
        }
    });
    commands
}
