//! The window icon: the 128-pixel rendering of `assets/icons/auditview.svg`,
//! the one source of every icon (launcher, package, Windows executable).

use egui::IconData;

/// The PNG the window shows (`assets/icons/render` makes it from the SVG).
const PNG: &[u8] = include_bytes!("../../../assets/icons/hicolor/128x128/apps/auditview.png");

pub fn window_icon() -> IconData {
    // The PNG is compiled in and checked by the test below: decoding it
    // cannot fail at run time short of a broken build.
    eframe::icon_data::from_png_bytes(PNG).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_icon_is_square_with_clear_corners_and_an_opaque_middle() {
        let icon = eframe::icon_data::from_png_bytes(PNG).expect("the window icon decodes");
        assert_eq!((icon.width, icon.height), (128, 128));
        assert_eq!(icon.rgba.len(), 128 * 128 * 4);
        assert_eq!(icon.rgba[3], 0, "top-left corner is transparent");
        let middle = ((64 * 128 + 64) * 4) as usize;
        assert_eq!(icon.rgba[middle + 3], 255);
    }
}
