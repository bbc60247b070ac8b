//! `custom` (SPEC §4.4): 1 to 25 panes in fractions of the canvas, each fixed
//! to a user's stream (`FIXED_USER`), showing a current sharer
//! (`SHARED_SCREEN`) or free for the slot list.
//!
//! Pane rectangles, drawing order and which slot or sharer each pane shows are
//! all computed once, when the job is checked.

use super::{Pin, Stream};
use crate::error::{JobError, Problem};
use crate::fit::Fit;
use crate::geometry::{Align, Rect, Size};
use crate::job::spec::PaneParam;
use crate::job::{name, range};

/// Most panes of a custom template.
pub const MAX_PANES: usize = 25;
/// Tolerance of the check `x + width <= 1` (and `y + height`), for fractions
/// such as `0.7 + 0.3` that f64 adds to a hair above 1.
const EDGE_EPSILON: f64 = 1e-9;

/// What a pane shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PaneSource {
    /// The stream of a given user: index into [`Custom::pins`].
    Pinned(usize),
    /// The screen of the k-th earliest current sharer (k from 0).
    SharedScreen(usize),
    /// Slot `i` of the slot list (i from 0).
    Free(usize),
}

/// A checked pane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pane {
    /// The pane's `id`, output as the tile's `slot`.
    pub id: u32,
    /// Its pixel rectangle.
    pub rect: Rect,
    /// `zorder`, 0 at the bottom.
    pub z: u8,
    /// `crop_mode`: `KEEP_RATIO_PADDING` is contain, `KEEP_RATIO_CROP` cover.
    pub fit: Fit,
    /// What it shows.
    pub source: PaneSource,
}

/// A checked custom template: panes in drawing order (ascending `zorder`,
/// then `id`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Custom {
    panes: Vec<Pane>,
    pins: Vec<Pin>,
    free: usize,
}

/// What a pane holds, by its `video_type` (default `CAMERASTREAM`),
/// `filling_policy` and `user_id`; a pane with a `user_id` and no policy is
/// `FIXED_USER`. Shared by custom panes and screen-share pane 1.
pub(crate) enum Holding {
    /// `FIXED_USER`: the user's stream.
    Pinned(Pin),
    /// `SHARED_SCREEN`.
    Shared,
    /// Neither: the slot list's (custom) or nothing (screen share).
    Free(Stream),
}

/// Checks the pane at `at` and says what it holds.
pub(crate) fn holding(at: &str, pane: &PaneParam) -> Result<Holding, JobError> {
    let field = |f: &str| format!("{at}.{f}");
    let stream = match pane.video_type.as_deref() {
        None | Some("CAMERASTREAM") => Stream::Camera,
        Some("SCREENSTREAM") => Stream::Screen,
        Some(other) => {
            let expected = "CAMERASTREAM, SCREENSTREAM";
            let problem = Problem::NotOneOf {
                value: other.to_owned(),
                expected,
            };
            return Err(JobError::new(field("video_type"), problem));
        }
    };
    let shared = match pane.filling_policy.as_deref() {
        None => false,
        Some("FIXED_USER") if pane.user_id.is_none() => {
            return Err(JobError::new(
                field("user_id"),
                Problem::Rule("is required by FIXED_USER"),
            ));
        }
        Some("FIXED_USER") => false,
        Some("SHARED_SCREEN") => true,
        Some(other) => {
            let expected = "FIXED_USER, SHARED_SCREEN";
            let problem = Problem::NotOneOf {
                value: other.to_owned(),
                expected,
            };
            return Err(JobError::new(field("filling_policy"), problem));
        }
    };
    match (shared, &pane.user_id) {
        (true, Some(_)) => Err(JobError::new(
            field("user_id"),
            Problem::Rule("a SHARED_SCREEN pane takes no user_id"),
        )),
        (true, None) => Ok(Holding::Shared),
        (false, Some(user)) => {
            name(&field("user_id"), user)?;
            Ok(Holding::Pinned(Pin {
                user_id: user.as_str().into(),
                stream,
            }))
        }
        (false, None) => Ok(Holding::Free(stream)),
    }
}

impl Custom {
    /// Checks `layout_panes` of a custom job on `canvas`.
    pub fn from_params(
        params: &[PaneParam],
        canvas: Size,
        align: Align,
    ) -> Result<Custom, JobError> {
        if params.is_empty() || params.len() > MAX_PANES {
            return Err(JobError::new(
                "mix_param.layout_panes",
                Problem::Rule("custom takes 1..=25 panes"),
            ));
        }
        let mut checked: Vec<(Pane, Holding)> = Vec::with_capacity(params.len());
        for (i, param) in params.iter().enumerate() {
            let at = format!("mix_param.layout_panes[{i}]");
            let pane = check_pane(&at, param, canvas, align)?;
            if checked.iter().any(|(p, _)| p.id == pane.0.id) {
                return Err(JobError::new(
                    format!("{at}.id"),
                    Problem::Duplicate(pane.0.id.to_string()),
                ));
            }
            if let Holding::Pinned(pin) = &pane.1 {
                let twice = checked
                    .iter()
                    .any(|(_, k)| matches!(k, Holding::Pinned(other) if other == pin));
                if twice {
                    return Err(JobError::new(
                        format!("{at}.user_id"),
                        Problem::Rule("this user's stream is already pinned by another pane"),
                    ));
                }
            }
            checked.push(pane);
        }

        // Sharers and slots are handed out by ascending id.
        checked.sort_by_key(|(p, _)| p.id);
        let (mut pins, mut shared, mut free) = (Vec::new(), 0, 0);
        let mut panes: Vec<Pane> = checked
            .into_iter()
            .map(|(mut pane, kind)| {
                pane.source = match kind {
                    Holding::Pinned(pin) => {
                        pins.push(pin);
                        PaneSource::Pinned(pins.len() - 1)
                    }
                    Holding::Shared => {
                        shared += 1;
                        PaneSource::SharedScreen(shared - 1)
                    }
                    Holding::Free(_) => {
                        free += 1;
                        PaneSource::Free(free - 1)
                    }
                };
                pane
            })
            .collect();
        panes.sort_by_key(|p| (p.z, p.id));
        Ok(Custom { panes, pins, free })
    }

    /// The panes in drawing order.
    pub fn panes(&self) -> &[Pane] {
        &self.panes
    }

    /// The pinned places, indexed by [`PaneSource::Pinned`].
    pub fn pins(&self) -> &[Pin] {
        &self.pins
    }

    /// Number of free panes: the capacity of the slot list.
    pub fn free_panes(&self) -> usize {
        self.free
    }
}

fn check_pane(
    at: &str,
    param: &PaneParam,
    canvas: Size,
    align: Align,
) -> Result<(Pane, Holding), JobError> {
    let field = |f: &str| format!("{at}.{f}");
    let id =
        range(param.id, 1, i64::from(i32::MAX)).map_err(|p| JobError::new(field("id"), p))? as u32;
    let kind = holding(at, param)?;
    if let Holding::Free(Stream::Screen) = kind {
        return Err(JobError::new(
            field("video_type"),
            Problem::Rule("a free pane shows cameras; SCREENSTREAM needs a user_id"),
        ));
    }
    let z = match param.zorder {
        None => 0,
        Some(z) => range(z, 0, 25).map_err(|p| JobError::new(field("zorder"), p))? as u8,
    };
    let fit = match param.crop_mode.as_deref() {
        None | Some("KEEP_RATIO_CROP") => Fit::Cover,
        Some("KEEP_RATIO_PADDING") => Fit::Contain,
        Some(other) => {
            return Err(JobError::new(
                field("crop_mode"),
                Problem::NotOneOf {
                    value: other.to_owned(),
                    expected: "KEEP_RATIO_PADDING, KEEP_RATIO_CROP",
                },
            ));
        }
    };
    let fraction = |name: &str, v: Option<f64>, min_open: bool| -> Result<f64, JobError> {
        let v = v.ok_or_else(|| JobError::new(field(name), Problem::Missing))?;
        let below = if min_open { v <= 0.0 } else { v < 0.0 };
        if below || v.is_nan() {
            let min = if min_open { "0 (exclusive)" } else { "0" };
            Err(JobError::new(
                field(name),
                Problem::Below {
                    value: v.to_string(),
                    min: min.into(),
                },
            ))
        } else if v > 1.0 {
            Err(JobError::new(
                field(name),
                Problem::Above {
                    value: v.to_string(),
                    max: "1".into(),
                },
            ))
        } else {
            Ok(v)
        }
    };
    let (x, y) = (
        fraction("x", param.x, false)?,
        fraction("y", param.y, false)?,
    );
    let (w, h) = (
        fraction("width", param.width, true)?,
        fraction("height", param.height, true)?,
    );
    if x + w > 1.0 + EDGE_EPSILON {
        return Err(JobError::new(
            field("width"),
            Problem::Rule("x + width is above 1"),
        ));
    }
    if y + h > 1.0 + EDGE_EPSILON {
        return Err(JobError::new(
            field("height"),
            Problem::Rule("y + height is above 1"),
        ));
    }
    let rect = Rect::from_edges(
        edge(x, canvas.width, align),
        edge(y, canvas.height, align),
        edge(x + w, canvas.width, align),
        edge(y + h, canvas.height, align),
    );
    if rect.is_empty() {
        return Err(JobError::new(
            field("width"),
            Problem::Rule("the pane is less than a pixel on the canvas"),
        ));
    }
    let pane = Pane {
        id,
        rect,
        z,
        fit,
        source: PaneSource::Free(0),
    };
    Ok((pane, kind))
}

/// `a * floor(f * L / a + 0.5)` in f64, clamped to the canvas (SPEC §4.4).
fn edge(fraction: f64, length: u32, align: Align) -> u32 {
    let a = f64::from(align.pixels());
    let e = a * (fraction * f64::from(length) / a + 0.5).floor();
    e.clamp(0.0, f64::from(length)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pane(id: i64, x: f64, y: f64, w: f64, h: f64) -> PaneParam {
        PaneParam {
            id,
            x: Some(x),
            y: Some(y),
            width: Some(w),
            height: Some(h),
            ..PaneParam::default()
        }
    }

    #[test]
    fn edges_round_half_up_to_alignment() {
        // 0.25 * 1920 = 480; 1/3 * 1000 = 333.3 -> 2 * floor(166.67 + 0.5) = 334.
        assert_eq!(edge(0.25, 1920, Align::Two), 480);
        assert_eq!(edge(1.0 / 3.0, 1000, Align::Two), 334);
        assert_eq!(edge(1.0 / 3.0, 1000, Align::One), 333);
    }

    #[test]
    fn drawing_order_is_zorder_then_id_and_slots_go_by_id() {
        let mut a = pane(9, 0.0, 0.0, 0.5, 0.5);
        a.zorder = Some(1);
        let b = pane(4, 0.5, 0.0, 0.5, 0.5);
        let c = pane(7, 0.0, 0.5, 0.5, 0.5);
        let custom = Custom::from_params(&[a, b, c], Size::new(1280, 720), Align::Two).unwrap();
        let order: Vec<(u32, PaneSource)> =
            custom.panes().iter().map(|p| (p.id, p.source)).collect();
        assert_eq!(
            order,
            [
                (4, PaneSource::Free(0)),
                (7, PaneSource::Free(1)),
                (9, PaneSource::Free(2))
            ]
        );
        assert_eq!(custom.free_panes(), 3);
    }

    #[test]
    fn pane_rules() {
        let canvas = Size::new(1280, 720);
        let check = |p: PaneParam| {
            Custom::from_params(&[p], canvas, Align::Two)
                .map(|_| ())
                .map_err(|e| e.to_string())
        };
        let mut p = pane(1, 0.6, 0.0, 0.5, 1.0);
        assert_eq!(
            check(p.clone()).unwrap_err(),
            "mix_param.layout_panes[0].width: x + width is above 1"
        );
        p.x = Some(0.7);
        p.width = Some(0.3);
        assert!(check(p.clone()).is_ok(), "0.7 + 0.3 is 1 within f64 error");
        p.x = Some(1.4);
        assert_eq!(
            check(p.clone()).unwrap_err(),
            "mix_param.layout_panes[0].x: 1.4 is above 1"
        );
        let mut p = pane(1, 0.0, 0.0, 1.0, 1.0);
        p.video_type = Some("SCREENSTREAM".into());
        assert!(check(p.clone()).unwrap_err().contains("video_type"));
        p.filling_policy = Some("SHARED_SCREEN".into());
        assert!(check(p.clone()).is_ok());
        p.user_id = Some("u1".into());
        assert!(check(p.clone()).unwrap_err().contains("takes no user_id"));
        let tiny = pane(1, 0.0, 0.0, 0.0001, 1.0);
        assert!(check(tiny).unwrap_err().contains("less than a pixel"));
        let no_x = PaneParam {
            x: None,
            ..pane(1, 0.0, 0.0, 1.0, 1.0)
        };
        assert_eq!(
            check(no_x).unwrap_err(),
            "mix_param.layout_panes[0].x: is required"
        );
    }

    #[test]
    fn duplicate_ids_and_pins_are_errors() {
        let canvas = Size::new(1280, 720);
        let err = Custom::from_params(
            &[pane(3, 0.0, 0.0, 1.0, 1.0), pane(3, 0.0, 0.0, 1.0, 1.0)],
            canvas,
            Align::Two,
        )
        .unwrap_err();
        assert_eq!(err.path, "mix_param.layout_panes[1].id");
        let mut a = pane(1, 0.0, 0.0, 1.0, 1.0);
        a.user_id = Some("u1".into());
        let mut b = a.clone();
        b.id = 2;
        let err = Custom::from_params(&[a.clone(), b.clone()], canvas, Align::Two).unwrap_err();
        assert_eq!(err.path, "mix_param.layout_panes[1].user_id");
        b.video_type = Some("SCREENSTREAM".into());
        assert!(Custom::from_params(&[a, b], canvas, Align::Two).is_ok());
    }
}
