//! The window icon, drawn in code: a blue tile with the rows of a log and a
//! red mark on one of them (a failed event standing out).

use egui::IconData;

const SIZE: u32 = 64;

pub fn window_icon() -> IconData {
    let mut rgba = Vec::with_capacity((SIZE * SIZE * 4) as usize);
    for y in 0..SIZE {
        for x in 0..SIZE {
            rgba.extend_from_slice(&pixel(x, y));
        }
    }
    IconData {
        rgba,
        width: SIZE,
        height: SIZE,
    }
}

fn pixel(x: u32, y: u32) -> [u8; 4] {
    const RADIUS: i64 = 12;
    let (xi, yi, last) = (i64::from(x), i64::from(y), i64::from(SIZE) - 1);
    // Rounded corners: transparent outside the quarter circles.
    let cx = xi.clamp(RADIUS, last - RADIUS);
    let cy = yi.clamp(RADIUS, last - RADIUS);
    if (xi - cx).pow(2) + (yi - cy).pow(2) > RADIUS * RADIUS {
        return [0, 0, 0, 0];
    }
    let row = (12..52)
        .step_by(10)
        .find(|top| (*top..top + 5).contains(&y));
    match row {
        Some(32) if (12..18).contains(&x) => [230, 70, 60, 255],
        Some(_) if (12..18).contains(&x) || (22..52).contains(&x) => [240, 244, 250, 255],
        _ => [40, 100, 190, 255],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_icon_is_square_with_clear_corners_and_an_opaque_middle() {
        let icon = window_icon();
        assert_eq!(icon.rgba.len(), (SIZE * SIZE * 4) as usize);
        assert_eq!(icon.rgba[3], 0, "top-left corner is transparent");
        let middle = ((SIZE / 2 * SIZE + SIZE / 2) * 4) as usize;
        assert_eq!(icon.rgba[middle + 3], 255);
    }
}
