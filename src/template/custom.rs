//! `custom` (§4.4): 1 to 25 panes in fractions of the canvas, each fixed
//! to a user's stream, showing a current sharer, or free for the slot list.
//!
//! Pane rectangles, drawing order and which slot or sharer each pane shows
//! are computed once, when the job is checked.

use super::Pin;
use crate::fit::Fit;
use crate::geometry::{Align, Rect, Size};

/// What a pane shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum PaneSource {
    /// The stream of a given user: index into [`Custom::pins`].
    Pinned(usize),
    /// The screen of the k-th earliest current sharer (k from 0).
    SharedScreen(usize),
    /// Slot `i` of the slot list (i from 0).
    Free(usize),
}

/// What the job says a pane holds, before slots and sharers are counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Holding {
    /// A given user's stream.
    Pinned(Pin),
    /// The screen of a current sharer.
    Shared,
    /// A camera of the slot list.
    Free,
}

/// A checked pane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pane {
    /// The pane's `id`, output as the tile's `slot`.
    pub(crate) id: u32,
    /// Its pixel rectangle.
    pub(crate) rect: Rect,
    /// `zorder`, 0 at the bottom.
    pub(crate) z: u8,
    /// `crop_mode`.
    pub(crate) fit: Fit,
    /// What it shows.
    pub(crate) source: PaneSource,
}

/// A checked custom template: panes in drawing order (ascending `zorder`,
/// then `id`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Custom {
    panes: Vec<Pane>,
    pins: Vec<Pin>,
    free: usize,
}

impl Custom {
    /// The template of checked panes: `(id, rect, zorder, fit, holding)`,
    /// ids unique. Sharers and slots are handed out by ascending id.
    pub(crate) fn new(mut panes: Vec<(u32, Rect, u8, Fit, Holding)>) -> Custom {
        panes.sort_by_key(|p| p.0);
        let (mut pins, mut shared, mut free) = (Vec::new(), 0, 0);
        let mut checked: Vec<Pane> = panes
            .into_iter()
            .map(|(id, rect, z, fit, holding)| {
                let source = match holding {
                    Holding::Pinned(pin) => {
                        pins.push(pin);
                        PaneSource::Pinned(pins.len() - 1)
                    }
                    Holding::Shared => {
                        shared += 1;
                        PaneSource::SharedScreen(shared - 1)
                    }
                    Holding::Free => {
                        free += 1;
                        PaneSource::Free(free - 1)
                    }
                };
                Pane {
                    id,
                    rect,
                    z,
                    fit,
                    source,
                }
            })
            .collect();
        checked.sort_by_key(|p| (p.z, p.id));
        Custom {
            panes: checked,
            pins,
            free,
        }
    }

    /// The panes in drawing order.
    pub(crate) fn panes(&self) -> &[Pane] {
        &self.panes
    }

    /// The pinned places, indexed by [`PaneSource::Pinned`].
    pub(crate) fn pins(&self) -> &[Pin] {
        &self.pins
    }

    /// Number of free panes: the capacity of the slot list.
    pub(crate) fn free_panes(&self) -> usize {
        self.free
    }
}

/// The pixel rectangle of a pane at fractions `x, y, width, height` of
/// `canvas`: each edge `a * floor(f * L / a + 0.5)` in f64 (§4.4).
pub(crate) fn pane_rect(
    x: f64,
    y: f64,
    width: f64,
    height: f64,
    canvas: Size,
    align: Align,
) -> Rect {
    Rect::from_edges(
        edge(x, canvas.width, align),
        edge(y, canvas.height, align),
        edge(x + width, canvas.width, align),
        edge(y + height, canvas.height, align),
    )
}

/// `a * floor(f * L / a + 0.5)`, clamped to the canvas.
fn edge(fraction: f64, length: u32, align: Align) -> u32 {
    let a = f64::from(align.pixels());
    let e = a * (fraction * f64::from(length) / a + 0.5).floor();
    e.clamp(0.0, f64::from(length)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Stream;

    #[test]
    fn edges_round_half_up_to_alignment() {
        // 0.25 * 1920 = 480; 1/3 * 1000 = 333.3 -> 2 * floor(166.67 + 0.5) = 334.
        assert_eq!(edge(0.25, 1920, Align::Two), 480);
        assert_eq!(edge(1.0 / 3.0, 1000, Align::Two), 334);
        assert_eq!(edge(1.0 / 3.0, 1000, Align::One), 333);
        assert_eq!(
            pane_rect(0.5, 0.0, 0.5, 0.25, Size::new(1280, 720), Align::Two),
            Rect::new(640, 0, 640, 180)
        );
    }

    #[test]
    fn drawing_order_is_zorder_then_id_and_places_go_by_id() {
        let r = Rect::new(0, 0, 10, 10);
        let pin = Pin {
            user_id: "u1".into(),
            stream: Stream::Screen,
        };
        let custom = Custom::new(vec![
            (9, r, 1, Fit::Cover, Holding::Free),
            (4, r, 0, Fit::Cover, Holding::Free),
            (7, r, 0, Fit::Contain, Holding::Pinned(pin.clone())),
            (2, r, 3, Fit::Contain, Holding::Shared),
            (5, r, 0, Fit::Cover, Holding::Shared),
        ]);
        let order: Vec<(u32, PaneSource)> =
            custom.panes().iter().map(|p| (p.id, p.source)).collect();
        assert_eq!(
            order,
            [
                (4, PaneSource::Free(0)),
                (5, PaneSource::SharedScreen(1)),
                (7, PaneSource::Pinned(0)),
                (9, PaneSource::Free(1)),
                (2, PaneSource::SharedScreen(0)),
            ]
        );
        assert_eq!(custom.free_panes(), 2);
        assert_eq!(custom.pins(), [pin]);
    }
}
