//! Property tests of SPEC §4.1 (splitting), the template geometry (§4.2,
//! §4.3) and the fit rules (§5), over random canvases, counts and sources.

use std::sync::Arc;

use mixlayout::{
    Action, Align, Event, Fit, GridMode, Job, JobBuilder, LastRow, Layout, MainSpec, MaxCrop,
    Portrait, Problem, Rect, Room, Size, SourceSize, TemplateKind, place, split_edge,
};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

fn align() -> impl Strategy<Value = Align> {
    prop_oneof![Just(Align::One), Just(Align::Two)]
}

/// Canvas sides are even, 16..=8192 (SPEC §1).
fn canvas() -> impl Strategy<Value = Size> {
    (8u32..=4096, 8u32..=4096).prop_map(|(w, h)| Size::new(2 * w, 2 * h))
}

fn source() -> impl Strategy<Value = SourceSize> {
    (1u32..=8192, 1u32..=8192).prop_map(|(w, h)| SourceSize::new(w, h).unwrap())
}

/// A tile somewhere on an 8192x8192 canvas.
fn tile() -> impl Strategy<Value = Rect> {
    (1u32..=4096, 1u32..=4096, 0u32..4096, 0u32..4096)
        .prop_map(|(w, h, x, y)| Rect::new(x, y, w, h))
}

/// Padding and gap, multiples of 2 (so of either alignment), mostly small.
fn spacing() -> impl Strategy<Value = (u32, u32)> {
    prop_oneof![
        Just((0, 0)),
        (0u32..=8, 0u32..=8).prop_map(|(p, g)| (2 * p, 2 * g)),
        (0u32..=256, 0u32..=256).prop_map(|(p, g)| (2 * p, 2 * g)),
    ]
}

fn grid_mode() -> impl Strategy<Value = GridMode> {
    prop_oneof![Just(GridMode::Classes), Just(GridMode::Fit)]
}

fn last_row() -> impl Strategy<Value = LastRow> {
    prop_oneof![Just(LastRow::Left), Just(LastRow::Center)]
}

/// SPEC §4.2's grid of `m` slots, from its tables.
fn shape(m: usize, canvas: Size, mode: GridMode) -> (u32, u32) {
    let (c, r) = match mode {
        GridMode::Classes => match m {
            1 => (1, 1),
            2 => (2, 1),
            3..=4 => (2, 2),
            5..=9 => (3, 3),
            10..=16 => (4, 4),
            _ => (5, 5),
        },
        GridMode::Fit => {
            let c = (1..=5).find(|c| c * c >= m as u32).unwrap();
            (c, (m as u32).div_ceil(c))
        }
    };
    let swap = canvas.is_portrait() && (mode == GridMode::Fit || m == 2);
    if swap { (r, c) } else { (c, r) }
}

fn encode(canvas: Size) -> String {
    format!("{}x{}_30_1000", canvas.width, canvas.height)
}

/// The layout of `job` with `users` joined and u1 sharing a screen of
/// `screen` (when given).
fn layout_of(job: Job, users: usize, screen: Option<SourceSize>) -> Layout {
    let mut room = Room::new(Arc::new(job));
    for i in 1..=users.max(1) {
        room.apply(&Event::join(format!("u{i}"), None)).unwrap();
    }
    if screen.is_some() {
        room.apply(&Event::new("u1", Action::ScreenStart { screen }))
            .unwrap();
    }
    if users == 0 {
        room.apply(&Event::new("u1", Action::Leave)).unwrap();
    }
    room.layout()
}

fn rects(layout: Layout) -> Vec<Rect> {
    layout.tiles.iter().map(|t| t.rect).collect()
}

/// Tiles inside the canvas, not overlapping, aligned, and of sizes within
/// `align` of each other.
fn assert_tiles(tiles: &[Rect], canvas: Size, align: Align) -> Result<(), TestCaseError> {
    let whole = Rect::from_size(canvas);
    let a = align.pixels();
    for (i, t) in tiles.iter().enumerate() {
        prop_assert!(!t.is_empty() && whole.contains_rect(*t), "{t:?}");
        prop_assert!(t.x % a == 0 && t.y % a == 0, "{t:?} not aligned");
        for u in &tiles[i + 1..] {
            prop_assert!(!t.overlaps(*u), "{t:?} overlaps {u:?}");
            prop_assert!(t.width.abs_diff(u.width) <= a && t.height.abs_diff(u.height) <= a);
        }
    }
    Ok(())
}

/// The cells partition `canvas`: all inside, none overlapping, areas adding
/// up to the canvas (so no gap either).
fn assert_partition(cells: &[Rect], canvas: Size) {
    let whole = Rect::from_size(canvas);
    let mut area = 0;
    for (i, a) in cells.iter().enumerate() {
        assert!(!a.is_empty(), "cell {i} is empty: {a:?}");
        assert!(whole.contains_rect(*a), "cell {i} {a:?} leaves {canvas:?}");
        for (j, b) in cells.iter().enumerate().skip(i + 1) {
            assert!(!a.overlaps(*b), "cells {i} {a:?} and {j} {b:?} overlap");
        }
        area += a.size().area();
    }
    assert_eq!(area, canvas.area(), "cells leave a gap");
}

proptest! {
    #[test]
    fn split_edges_are_exact_and_even(length in 16u32..=8192, parts in 1u32..=10, align in align()) {
        let edges: Vec<u32> = (0..=parts).map(|k| split_edge(length, parts, k, align)).collect();
        prop_assert_eq!(edges[0], 0);
        prop_assert_eq!(edges[parts as usize], length);
        let a = align.pixels();
        let sizes: Vec<u32> = edges.windows(2).map(|w| w[1] - w[0]).collect();
        let (min, max) = (*sizes.iter().min().unwrap(), *sizes.iter().max().unwrap());
        prop_assert!(max - min <= a, "{sizes:?}");
        for &e in &edges[1..parts as usize] {
            prop_assert_eq!(e % a, 0, "edge {} not aligned", e);
            // Within half an aligned step of the exact k * L / n.
        }
        for k in 1..parts {
            let exact = f64::from(k) * f64::from(length) / f64::from(parts);
            let e = f64::from(edges[k as usize]);
            prop_assert!((e - exact).abs() <= f64::from(a) / 2.0 + 1e-9, "e({k}) = {e}, exact {exact}");
        }
    }

    #[test]
    fn grids_keep_their_spacing(
        canvas in canvas(), align in align(), spacing in spacing(), mode in grid_mode(),
        last in last_row(), users in 1usize..=25,
    ) {
        let job = JobBuilder::new("r", encode(canvas))
            .template(TemplateKind::NineGridsView)
            .align(i64::from(align.pixels()))
            .padding(i64::from(spacing.0))
            .gap(i64::from(spacing.1))
            .grid(mode)
            .last_row(last)
            .build();
        // Spacing that leaves no room for some class is refused, by name.
        let job = match job {
            Ok(job) => job,
            Err(e) => {
                prop_assert!(matches!(e.problem, Problem::TooNarrow { .. }), "{e}");
                prop_assert!(e.path == "layout_options.gap" || e.path == "layout_options.padding");
                return Ok(());
            }
        };
        let tiles = rects(layout_of(job, users, None));
        prop_assert_eq!(tiles.len(), users);
        assert_tiles(&tiles, canvas, align)?;
        let (p, g) = spacing;
        // Rows: tiles of one row share y; neighbours are exactly `gap` apart.
        let mut ys: Vec<u32> = tiles.iter().map(|t| t.y).collect();
        ys.dedup();
        for pair in ys.windows(2) {
            let above = tiles.iter().find(|t| t.y == pair[0]).unwrap();
            prop_assert_eq!(pair[1] - above.bottom(), g, "rows {:?}", pair);
        }
        for row in &ys {
            let cells: Vec<&Rect> = tiles.iter().filter(|t| t.y == *row).collect();
            for pair in cells.windows(2) {
                prop_assert_eq!(pair[1].x - pair[0].right(), g);
            }
        }
        // A full grid is inset from the canvas by exactly `padding`; a grid
        // with empty trailing cells ends earlier.
        let cols = tiles.iter().filter(|t| t.y == ys[0]).count();
        let first = tiles[0];
        prop_assert_eq!((first.x, first.y), (p, p));
        let right = tiles.iter().map(|t| t.right()).max().unwrap();
        let bottom = tiles.iter().map(|t| t.bottom()).max().unwrap();
        prop_assert!(right <= canvas.width - p && bottom <= canvas.height - p);
        let (class_cols, class_rows) = shape(users, canvas, mode);
        prop_assert_eq!(cols as u32, class_cols.min(users as u32));
        if class_cols * class_rows == users as u32 {
            prop_assert_eq!((right, bottom), (canvas.width - p, canvas.height - p));
            if spacing == (0, 0) {
                assert_partition(&tiles, canvas);
            }
        }
    }

    #[test]
    fn screen_shares_keep_their_spacing_and_mirror(
        canvas in canvas(), align in align(), spacing in spacing(), users in 0usize..=16,
        transpose in any::<bool>(),
    ) {
        let job = |kind| {
            let job = JobBuilder::new("r", encode(canvas))
                .template(kind)
                .align(i64::from(align.pixels()))
                .padding(i64::from(spacing.0))
                .gap(i64::from(spacing.1))
                .main(MainSpec::SharedScreen);
            if transpose { job.portrait(Portrait::Transpose) } else { job }.build()
        };
        let (left, right) = match (job(TemplateKind::ScreenShareLeft), job(TemplateKind::ScreenShareRight)) {
            (Ok(l), Ok(r)) => (l, r),
            (Err(e), _) | (_, Err(e)) => {
                prop_assert!(matches!(e.problem, Problem::TooNarrow { .. }), "{e}");
                return Ok(());
            }
        };
        let screen = SourceSize::new(1600, 900);
        let left = layout_of(left, users, screen);
        let right = layout_of(right, users, screen);
        let tiles = rects(left.clone());
        prop_assert_eq!(tiles.len(), users + 1);
        assert_tiles(&tiles[1..], canvas, align)?;
        assert_tiles(&tiles[..1], canvas, align)?;
        let whole = Rect::from_size(canvas);
        for (i, a) in tiles.iter().enumerate() {
            prop_assert!(whole.contains_rect(*a));
            for b in &tiles[i + 1..] {
                prop_assert!(!a.overlaps(*b), "{a:?} overlaps {b:?}");
            }
        }
        let (p, g) = spacing;
        let main = tiles[0];
        prop_assert_eq!((main.x, main.y), (p, p));
        let transposed = transpose && canvas.is_portrait();
        if !transposed {
            // Right is the exact mirror of left, contents included.
            for (l, r) in left.tiles.iter().zip(&right.tiles) {
                prop_assert_eq!(r.rect, l.rect.mirrored(canvas.width));
                prop_assert_eq!(r.content, l.content.mirrored(canvas.width));
                prop_assert_eq!(r.source_crop, l.source_crop);
            }
            prop_assert_eq!(main.bottom(), canvas.height - p);
            if users > 0 {
                // The first small column is `gap` right of the main window.
                let column = tiles[1..].iter().map(|t| t.x).min().unwrap();
                prop_assert_eq!(column - main.right(), g);
                let last = tiles[1..].iter().map(|t| t.right()).max().unwrap();
                prop_assert_eq!(last, canvas.width - p);
            }
        } else {
            // Small tiles below the main window (left), above it (right).
            prop_assert_eq!(main.right(), canvas.width - p);
            if users > 0 {
                let row = tiles[1..].iter().map(|t| t.y).min().unwrap();
                prop_assert_eq!(row - main.bottom(), g);
                let r = rects(right);
                let top = r[1..].iter().map(|t| t.y).min().unwrap();
                prop_assert_eq!(top, p);
                prop_assert_eq!(r[0].bottom(), canvas.height - p);
            }
        }
    }

    #[test]
    fn cover_fills_the_tile_with_its_aspect(tile in tile(), src in source()) {
        let p = place(Fit::Cover, tile, Some(src), MaxCrop::NONE);
        prop_assert_eq!(p.content, tile);
        let crop = p.source_crop.unwrap();
        prop_assert!(Rect::new(0, 0, src.width(), src.height()).contains_rect(crop));
        // One side is whole, the other rounded from the tile's aspect: the
        // aspects agree within one source pixel.
        prop_assert!(crop.width == src.width() || crop.height == src.height());
        let (vw, vh) = (u64::from(crop.width), u64::from(crop.height));
        let (tw, th) = (u64::from(tile.width), u64::from(tile.height));
        prop_assert!((vw * th).abs_diff(vh * tw) <= tw.max(th), "{crop:?} in {tile:?}");
        // Centred: the cut on each side differs by at most a pixel.
        let (left, right) = (crop.x, src.width() - crop.right());
        let (top, bottom) = (crop.y, src.height() - crop.bottom());
        prop_assert!(left.abs_diff(right) <= 1 && top.abs_diff(bottom) <= 1);
    }

    #[test]
    fn contain_shows_all_of_the_source_centred(tile in tile(), src in source()) {
        let p = place(Fit::Contain, tile, Some(src), MaxCrop::NONE);
        let c = p.content;
        prop_assert!(tile.contains_rect(c));
        prop_assert_eq!(p.source_crop, Some(Rect::new(0, 0, src.width(), src.height())));
        prop_assert!(c.width == tile.width || c.height == tile.height);
        let (left, right) = (c.x - tile.x, tile.right() - c.right());
        let (top, bottom) = (c.y - tile.y, tile.bottom() - c.bottom());
        prop_assert!(left.abs_diff(right) <= 1 && top.abs_diff(bottom) <= 1);
        let (cw, ch) = (u64::from(c.width), u64::from(c.height));
        let (sw, sh) = (u64::from(src.width()), u64::from(src.height()));
        prop_assert!((cw * sh).abs_diff(ch * sw) <= sw.max(sh), "{c:?} for {src:?}");
    }

    #[test]
    fn max_crop_bounds_the_cut(tile in tile(), src in source(), crop in 0.0f64..=1.0) {
        let limit = MaxCrop::new(crop).unwrap();
        let p = place(Fit::Cover, tile, Some(src), limit);
        let shown = p.source_crop.unwrap();
        prop_assert!(Rect::new(0, 0, src.width(), src.height()).contains_rect(shown));
        let cut_w = f64::from(src.width() - shown.width) / f64::from(src.width());
        let cut_h = f64::from(src.height() - shown.height) / f64::from(src.height());
        prop_assert!(cut_w <= crop + 1e-6 && cut_h <= crop + 1e-6, "cut {cut_w} x {cut_h} over {crop}");
        prop_assert!(tile.contains_rect(p.content));
        // Within the limit, the plain cover result stands.
        let plain = place(Fit::Cover, tile, Some(src), MaxCrop::NONE);
        let plain_crop = plain.source_crop.unwrap();
        let plain_cut_w = f64::from(src.width() - plain_crop.width) / f64::from(src.width());
        let plain_cut_h = f64::from(src.height() - plain_crop.height) / f64::from(src.height());
        if plain_cut_w <= crop - 1e-6 && plain_cut_h <= crop - 1e-6 {
            prop_assert_eq!(p, plain);
        }
    }
}
