//! What `ffprobe` says of each file, asked before anything starts, so that a
//! file that is missing or is not media fails before any output exists.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::error::{Error, MediaError};
use crate::geometry::Size;
use crate::record::media::MediaFile;
use crate::record::process::{Process, url};

/// A file of the recording, with what its streams are.
#[derive(Clone, Debug)]
pub(crate) struct Probed {
    /// The file, as the media list gives it.
    pub(crate) source: MediaFile,
    /// Its first video stream, if it has one.
    pub(crate) video: Option<Video>,
    /// Whether it has an audio stream.
    pub(crate) audio: bool,
    /// How long it lasts in its own time (µs), as its container says.
    pub(crate) length_us: u64,
}

/// A file's first video stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Video {
    /// Its picture as shown (turned by its rotation), in pixels.
    pub(crate) size: Size,
    /// Its colour matrix.
    pub(crate) matrix: Matrix,
    /// Whether its samples use the full range (0..=255).
    pub(crate) full_range: bool,
    /// Whether its pixels are 8-bit 4:2:0 (`yuv420p`), what the recording
    /// draws, so that only the colours may need converting.
    pub(crate) yuv420p: bool,
    /// Where its last frame ends, in file time (µs): the last frame's time
    /// plus one frame.
    pub(crate) end_us: u64,
}

impl Probed {
    /// Whether the file's video covers the room's instant `t` (ms).
    pub(crate) fn covers(&self, t: u32) -> bool {
        let Some(video) = self.video else {
            return false;
        };
        t >= self.source.start && u64::from(t - self.source.start) * 1000 < video.end_us
    }

    /// Where the file's video ends on the room's timeline (ms, rounded up),
    /// or its start for a file without video.
    pub(crate) fn end(&self) -> u64 {
        let video = self.video.map_or(0, |v| v.end_us.div_ceil(1000));
        u64::from(self.source.start) + video
    }
}

/// Probes one file with `ffprobe`.
pub(crate) fn probe(ffprobe: &Path, source: &MediaFile) -> Result<Probed, Error> {
    let file = &source.file;
    let unreadable = |message: String| MediaError::Unreadable {
        file: file.clone(),
        message,
    };
    let meta = std::fs::metadata(file).map_err(|e| Error::Io {
        path: file.clone(),
        source: e,
    })?;
    if !meta.is_file() {
        return Err(unreadable("not a regular file".into()).into());
    }
    let mut command = Command::new(ffprobe);
    command
        .args([
            "-v",
            "error",
            "-hide_banner",
            "-of",
            "json",
            "-show_entries",
        ])
        .arg(
            "format=start_time,duration:stream=codec_type,width,height,pix_fmt,color_space,\
             color_range,start_time,duration,avg_frame_rate,r_frame_rate:\
             stream_side_data=rotation",
        )
        .arg(url(file));
    let said = read_all(command, file)?;
    let json: Value = serde_json::from_slice(&said)
        .map_err(|e| unreadable(format!("ffprobe said something unexpected: {e}")))?;
    let streams = json["streams"].as_array().map_or(&[][..], Vec::as_slice);
    let kind = |k: &str| streams.iter().find(|s| s["codec_type"] == k);
    let audio = kind("audio").is_some();
    let video = match kind("video") {
        Some(stream) => Some(video_of(ffprobe, file, stream, &json["format"])?),
        None => None,
    };
    if video.is_none() && !audio {
        return Err(unreadable("has neither video nor audio".into()).into());
    }
    let length_us = seconds_us(&json["format"]["duration"])
        .and_then(|us| u64::try_from(us).ok())
        .unwrap_or(0)
        .max(video.map_or(0, |v| v.end_us));
    Ok(Probed {
        source: source.clone(),
        video,
        audio,
        length_us,
    })
}

/// A video stream's size, colours and end.
fn video_of(ffprobe: &Path, file: &Path, stream: &Value, format: &Value) -> Result<Video, Error> {
    let side = |key: &str| {
        stream[key]
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
            .filter(|&v| v > 0)
    };
    let (Some(width), Some(height)) = (side("width"), side("height")) else {
        return Err(MediaError::Unreadable {
            file: file.to_owned(),
            message: "its video has no size".into(),
        }
        .into());
    };
    let turned = stream["side_data_list"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["rotation"].as_i64())
        .any(|r| r.rem_euclid(180) == 90);
    let size = if turned {
        Size::new(height, width)
    } else {
        Size::new(width, height)
    };
    let text = |v: &Value| v.as_str().unwrap_or("").to_owned();
    let file_start = seconds_us(&format["start_time"]).unwrap_or(0);
    let frame_us = frame_interval_us(&text(&stream["avg_frame_rate"]))
        .or_else(|| frame_interval_us(&text(&stream["r_frame_rate"])));
    let end = match (
        seconds_us(&stream["start_time"]),
        seconds_us(&stream["duration"]),
    ) {
        (Some(start), Some(duration)) => start + duration,
        _ => last_frame_end(ffprobe, file, frame_us)?,
    };
    let pix_fmt = text(&stream["pix_fmt"]);
    Ok(Video {
        size,
        matrix: Matrix::of(&text(&stream["color_space"]), height),
        full_range: stream["color_range"] == "pc" || pix_fmt.starts_with("yuvj"),
        yuv420p: pix_fmt == "yuv420p",
        end_us: u64::try_from(end - file_start).unwrap_or(0),
    })
}

/// The end of the last video frame (µs, the file's clock), from the
/// packets, for containers that keep no duration per stream (WebM,
/// Matroska).
fn last_frame_end(ffprobe: &Path, file: &Path, frame_us: Option<i64>) -> Result<i64, Error> {
    let mut command = Command::new(ffprobe);
    command
        .args(["-v", "error", "-hide_banner", "-select_streams", "v:0"])
        .args([
            "-show_entries",
            "packet=pts_time,duration_time",
            "-of",
            "csv=p=0",
        ])
        .arg(url(file));
    let mut process = Process::spawn(&mut command, false, "ffprobe", file)?;
    let stdout = process.stdout().map(BufReader::new);
    let mut end = 0i64;
    for line in stdout.into_iter().flat_map(BufRead::lines) {
        let Ok(line) = line else { break };
        let mut fields = line.split(',').map(|f| Value::from(f.trim()));
        let pts = fields.next().and_then(|v| seconds_us(&v));
        let duration = fields.next().and_then(|v| seconds_us(&v)).or(frame_us);
        if let Some(pts) = pts {
            end = end.max(pts + duration.unwrap_or(0));
        }
    }
    process.finish()?;
    Ok(end)
}

/// Runs `command` and gives its stdout (at most 1 MiB), or an error of the
/// file with what the program said.
fn read_all(mut command: Command, file: &Path) -> Result<Vec<u8>, Error> {
    let mut process = Process::spawn(&mut command, false, "ffprobe", file)?;
    let mut out = Vec::new();
    if let Some(stdout) = process.stdout() {
        // Past the limit the rest is left unread, and the JSON fails.
        let _ = stdout.take(1 << 20).read_to_end(&mut out);
    }
    process.finish().map_err(|e| match e {
        MediaError::Failed { file, message, .. } => MediaError::Unreadable { file, message },
        other => other,
    })?;
    Ok(out)
}

/// `"12.345678"` (seconds, as ffprobe writes them) in µs.
fn seconds_us(value: &Value) -> Option<i64> {
    let seconds: f64 = value.as_str()?.parse().ok()?;
    seconds
        .is_finite()
        .then(|| (seconds * 1e6).round())
        .filter(|us| us.abs() < 1e15)
        .map(|us| us as i64)
}

/// One frame of `"30000/1001"` frames per second, in µs.
fn frame_interval_us(rate: &str) -> Option<i64> {
    let (num, den) = rate.split_once('/')?;
    let (num, den): (i64, i64) = (num.parse().ok()?, den.parse().ok()?);
    (num > 0 && den > 0).then(|| (den * 1_000_000 + num / 2) / num)
}

/// The colour matrix of a source's Y'CbCr.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Matrix {
    /// BT.709, what the recording draws.
    Bt709,
    /// BT.601 (`bt470bg` and `smpte170m` are both this matrix).
    Bt601,
    /// FCC.
    Fcc,
    /// SMPTE 240M.
    Smpte240m,
    /// BT.2020, non-constant luminance.
    Bt2020,
}

impl Matrix {
    /// The matrix of a stream's `color_space` tag; untagged, BT.601 below
    /// 720 lines and BT.709 from 720 up.
    fn of(color_space: &str, lines: u32) -> Matrix {
        match color_space {
            "bt709" => Matrix::Bt709,
            "bt470bg" | "smpte170m" => Matrix::Bt601,
            "fcc" => Matrix::Fcc,
            "smpte240m" => Matrix::Smpte240m,
            "bt2020nc" | "bt2020c" => Matrix::Bt2020,
            _ if lines >= 720 => Matrix::Bt709,
            _ => Matrix::Bt601,
        }
    }

    /// Its name for ffmpeg's `colorspace` filter.
    pub(crate) fn colorspace_name(self) -> &'static str {
        match self {
            Matrix::Bt709 => "bt709",
            Matrix::Bt601 => "bt470bg",
            Matrix::Fcc => "fcc",
            Matrix::Smpte240m => "smpte240m",
            Matrix::Bt2020 => "bt2020ncl",
        }
    }

    /// Its name for ffmpeg's `scale` filter.
    pub(crate) fn scale_name(self) -> &'static str {
        match self {
            Matrix::Bt709 => "bt709",
            Matrix::Bt601 => "bt601",
            Matrix::Fcc => "fcc",
            Matrix::Smpte240m => "smpte240m",
            Matrix::Bt2020 => "bt2020",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_rates_read_as_ffprobe_writes_them() {
        assert_eq!(seconds_us(&Value::from("1.500000")), Some(1_500_000));
        assert_eq!(seconds_us(&Value::from("-0.007000")), Some(-7_000));
        assert_eq!(seconds_us(&Value::from("N/A")), None);
        assert_eq!(seconds_us(&Value::Null), None);
        assert_eq!(frame_interval_us("30/1"), Some(33_333));
        assert_eq!(frame_interval_us("30000/1001"), Some(33_367));
        assert_eq!(frame_interval_us("0/0"), None);
    }

    #[test]
    fn untagged_matrices_go_by_lines() {
        assert_eq!(Matrix::of("unknown", 360), Matrix::Bt601);
        assert_eq!(Matrix::of("", 719), Matrix::Bt601);
        assert_eq!(Matrix::of("", 720), Matrix::Bt709);
        assert_eq!(Matrix::of("smpte170m", 1080), Matrix::Bt601);
        assert_eq!(Matrix::of("bt709", 360), Matrix::Bt709);
    }
}
