//! Decoders of the files' video: one `ffmpeg` per visible file, writing raw
//! I420 frames at the recording's frame rate to a pipe, already in BT.709
//! limited range and at the size the recording draws them.

use std::io::Read;
use std::path::Path;
use std::sync::mpsc::{Receiver, Sender, SyncSender, TryRecvError, channel, sync_channel};

use crate::error::MediaError;
use crate::frame::FrameRef;
use crate::geometry::Size;
use crate::record::probe::{Matrix, Probed, Video};
use crate::record::process::{Process, command, url, widen};

/// Frames a decoder may have ready beyond the one shown: enough to keep it
/// busy while the others are read, few enough to bound memory.
const AHEAD: usize = 4;

/// The size a source is decoded at: its own, made even, or smaller when
/// the canvas can never show that much of it. A tile is never larger than
/// the canvas, so a source shrunk until it is no larger than the canvas on
/// one axis is still drawn at a scale of at most 1 on both.
pub(crate) fn decoded_size(video: Size, canvas: Size) -> Size {
    let shrink = (f64::from(canvas.width) / f64::from(video.width))
        .max(f64::from(canvas.height) / f64::from(video.height))
        .min(1.0);
    let side = |s: u32| {
        let scaled = (f64::from(s) * shrink).ceil() as u32;
        (scaled.div_ceil(2) * 2).clamp(2, 8192)
    };
    Size::new(side(video.width), side(video.height))
}

/// The decoder's filters: `fps` first, so that frames it drops are never
/// converted (`start_time=0` makes the first frame the one at the seek);
/// `scale` to the size drawn (a no-op at the same size, and what keeps a
/// file whose size changes midway at one size); then the colours. A
/// `yuv420p` source needs at most its matrix and range changed, which the
/// `colorspace` filter does exactly and fast (`fast=1`: matrix and range
/// only, as the compositor treats every picture); other pixel formats are
/// converted by `scale` on the way to `yuv420p`.
fn filters(video: &Video, size: Size, fps: u32) -> String {
    let (w, h) = (size.width, size.height);
    let range = if video.full_range { "pc" } else { "tv" };
    if video.yuv420p {
        let mut filters = format!("fps={fps}:start_time=0,scale={w}:{h}");
        if video.matrix != Matrix::Bt709 || video.full_range {
            filters += &format!(
                ",colorspace=iall=bt709:ispace={}:irange={range}:all=bt709:range=tv:fast=1",
                video.matrix.colorspace_name()
            );
        }
        filters
    } else {
        format!(
            "fps={fps}:start_time=0,scale={w}:{h}:in_color_matrix={}:in_range={range}:\
             out_color_matrix=bt709:out_range=tv,format=yuv420p",
            video.matrix.scale_name()
        )
    }
}

/// A running decoder of one file; see the module docs.
#[derive(Debug)]
pub(crate) struct Decoder {
    size: Size,
    frames: Receiver<Vec<u8>>,
    spare: Sender<Vec<u8>>,
    current: Option<Vec<u8>>,
    /// Output frames since the decoder ran out (the last frame is kept for
    /// one, the slack of §10).
    since_end: Option<u32>,
    process: Process,
}

impl Decoder {
    /// Starts decoding `file` from `seek_ms` of its own time, at `fps`,
    /// converted for a canvas of `canvas`.
    pub(crate) fn start(
        ffmpeg: &Path,
        file: &Probed,
        video: &Video,
        seek_ms: u32,
        fps: u32,
        canvas: Size,
    ) -> Result<Decoder, MediaError> {
        let size = decoded_size(video.size, canvas);
        let path = &file.source.file;
        let mut command = command(ffmpeg);
        if seek_ms > 0 {
            command.args(["-ss", &format!("{}.{:03}", seek_ms / 1000, seek_ms % 1000)]);
        }
        let filters = filters(video, size, fps);
        // One thread each: decoders run side by side, one per tile, and
        // frame threading would hold more frames in each.
        command
            .args(["-threads", "1", "-filter_threads", "1", "-i"])
            .arg(url(path))
            .args(["-map", "0:v:0", "-an", "-sn", "-dn", "-vf", &filters])
            .args(["-f", "rawvideo", "pipe:1"]);
        let mut process = Process::spawn(&mut command, false, "video decoder", path)?;
        let stdout = process.stdout();
        let (frames_in, frames) = sync_channel(AHEAD);
        let (spare, spares) = channel();
        let len = size.area() as usize * 3 / 2;
        if let Some(stdout) = stdout {
            widen(&stdout, len);
            // Ends when the pipe does (the decoder ended or was killed) or
            // when the decoder is dropped.
            std::thread::spawn(move || read_frames(stdout, len, &frames_in, &spares));
        }
        Ok(Decoder {
            size,
            frames,
            spare,
            current: None,
            since_end: None,
            process,
        })
    }

    /// Takes the decoder's next frame, the one for the next output frame.
    /// When it has run out, its last frame stays for one output frame; a
    /// decoder that failed is an error.
    pub(crate) fn advance(&mut self) -> Result<(), MediaError> {
        if let Some(n) = &mut self.since_end {
            *n += 1;
            if *n > 1 {
                self.current = None;
            }
            return Ok(());
        }
        match self.frames.recv() {
            Ok(frame) => {
                if let Some(old) = self.current.replace(frame) {
                    let _ = self.spare.send(old);
                }
                Ok(())
            }
            Err(_) => {
                self.since_end = Some(1);
                self.process.finish()
            }
        }
    }

    /// The frame shown now, if any.
    pub(crate) fn frame(&self) -> Option<FrameRef<'_>> {
        let data = self.current.as_deref()?;
        let (w, h) = (self.size.width as usize, self.size.height as usize);
        let (y, chroma) = data.split_at(w * h);
        let (u, v) = chroma.split_at(w * h / 4);
        FrameRef::new(
            self.size.width,
            self.size.height,
            [(y, w), (u, w / 2), (v, w / 2)],
        )
        .ok()
    }
}

/// Reads whole frames of `len` bytes into recycled buffers and passes them
/// on, until the pipe ends or nobody takes them.
fn read_frames(
    mut pipe: impl Read,
    len: usize,
    frames: &SyncSender<Vec<u8>>,
    spares: &Receiver<Vec<u8>>,
) {
    loop {
        let mut frame = match spares.try_recv() {
            Ok(frame) => frame,
            Err(TryRecvError::Empty) => vec![0; len],
            Err(TryRecvError::Disconnected) => return,
        };
        if pipe.read_exact(&mut frame).is_err() || frames.send(frame).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_differs_is_converted() {
        let video = Video {
            size: Size::new(640, 360),
            matrix: Matrix::Bt709,
            full_range: false,
            yuv420p: true,
            end_us: 1,
        };
        let size = Size::new(640, 360);
        assert_eq!(
            filters(&video, size, 30),
            "fps=30:start_time=0,scale=640:360"
        );
        let webcam = Video {
            matrix: Matrix::Bt601,
            ..video
        };
        assert_eq!(
            filters(&webcam, size, 30),
            "fps=30:start_time=0,scale=640:360,colorspace=iall=bt709:ispace=bt470bg:irange=tv:all=bt709:range=tv:fast=1"
        );
        let jpeg = Video {
            full_range: true,
            yuv420p: false,
            ..webcam
        };
        assert_eq!(
            filters(&jpeg, size, 25),
            "fps=25:start_time=0,scale=640:360:in_color_matrix=bt601:in_range=pc:out_color_matrix=bt709:out_range=tv,format=yuv420p"
        );
    }

    #[test]
    fn sources_are_decoded_no_larger_than_the_canvas_can_show() {
        let hd = Size::new(1920, 1080);
        assert_eq!(decoded_size(Size::new(640, 360), hd), Size::new(640, 360));
        assert_eq!(decoded_size(Size::new(641, 361), hd), Size::new(642, 362));
        assert_eq!(
            decoded_size(Size::new(3840, 2160), hd),
            Size::new(1920, 1080)
        );
        // A portrait canvas still needs the landscape source's full height.
        let portrait = Size::new(1080, 1920);
        assert_eq!(
            decoded_size(Size::new(3840, 2160), portrait),
            Size::new(3414, 1920)
        );
        assert_eq!(decoded_size(Size::new(1, 1), hd), Size::new(2, 2));
    }
}
