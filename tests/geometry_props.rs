//! Property tests of SPEC §4.1 (splitting), the template geometry (§4.2,
//! §4.3) and the fit rules (§5), over random canvases, counts and sources.

use mixlayout::template::nine_grids::Grid;
use mixlayout::template::screen_share::Geometry;
use mixlayout::{Align, Fit, MaxCrop, Rect, Size, SourceSize, place, split_edge};
use proptest::prelude::*;

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
    fn grid_cells_partition_the_canvas(canvas in canvas(), slots in 1usize..=25, align in align()) {
        let grid = Grid::new(canvas, align, slots);
        let cells: Vec<Rect> = (0..(grid.cols() * grid.rows()) as usize).map(|i| grid.cell(i)).collect();
        prop_assert_eq!(cells.len(), (grid.cols() * grid.rows()) as usize);
        prop_assert!(cells.len() >= slots);
        for (i, cell) in cells.iter().enumerate() {
            prop_assert_eq!(*cell, grid.cell(i));
        }
        assert_partition(&cells, canvas);
    }

    #[test]
    fn screen_share_tiles_never_overlap(canvas in canvas(), small in 0usize..=16, align in align()) {
        let g = Geometry::new(canvas, align, small);
        let mut rects = vec![g.main()];
        rects.extend((0..small).map(|j| g.small(j)));
        let whole = Rect::from_size(canvas);
        for (i, a) in rects.iter().enumerate() {
            prop_assert!(!a.is_empty());
            prop_assert!(whole.contains_rect(*a));
            for b in &rects[i + 1..] {
                prop_assert!(!a.overlaps(*b), "{a:?} overlaps {b:?}");
            }
        }
        // Mirroring twice is the identity, and a mirrored tile stays inside
        // the canvas with its size.
        for r in &rects {
            let m = r.mirrored(canvas.width);
            prop_assert_eq!(m.size(), r.size());
            prop_assert_eq!(m.mirrored(canvas.width), *r);
            prop_assert_eq!(m.x + r.x + r.width, canvas.width);
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
