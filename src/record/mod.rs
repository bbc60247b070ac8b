//! Recording a meeting from its participants' own files (§10, feature
//! `record`): the layout of every frame from the timeline, each tile's
//! picture from its user's file, the sound of every file mixed, through
//! the `ffmpeg` program.
//!
//! A [`Media`] list says which file holds which user's camera or screen
//! and where on the room's timeline it starts. [`Recording::prepare`]
//! checks the events, probes every file with `ffprobe` (so that a missing
//! or unreadable file fails before any output exists), and finds the end;
//! [`Recording::run`] then writes the MP4:
//!
//! - **Frames.** Frame `n` is the instant `floor(n * 1000 / FPS)` ms and
//!   shows the layout at that instant. Each `video` tile draws the frame of
//!   the file that covers the instant (a file covers `[start, start + d)`,
//!   `d` the end of its last video frame in its own time), decoded by an
//!   `ffmpeg` started when the tile appears, seeking to the instant, and
//!   stopped when the tile goes or the file ends: only what can be seen is
//!   decoded. A file's own time starts at its earliest presentation time
//!   (of any stream), so sound and picture within a file stay in step. A
//!   tile that no file covers is drawn as a missing picture: a camera in
//!   its `audio_only` look, a screen as `empty`.
//! - **Pictures.** Decoders convert to BT.709 limited range (a source's
//!   colour tags say what it is; untagged, BT.601 below 720 lines and
//!   BT.709 from 720 up), turn it by its rotation tag, and give it at its
//!   own size made even, or smaller when the canvas could never show all
//!   of it. A file whose frame size changes midway keeps the first size
//!   (the picture is scaled). The frame shown is the one `ffmpeg`'s `fps`
//!   filter gives for the instant: the nearest, within one output frame.
//! - **Sound.** Every file's first audio stream, landing where its picture
//!   does, is decoded to 48 kHz stereo (mono goes to both sides at -3 dB,
//!   as ffmpeg mixes it), summed without normalisation and clipped at full
//!   scale. Files of users who are never present are left out (see
//!   [`Recording::ignored_users`]); every other file is heard whole,
//!   whether its user is seen or not. A decoder starts when its file
//!   lands; where more than 16 files sound at once, consecutive files share
//!   a decoder, so that about 16 run at any time.
//! - **End.** The recording ends at `D`: the `until` option, or else the
//!   latest of the last event's instant, the end of the last hold that ran
//!   out and the end of the last file (rounded up to a millisecond). It has
//!   the frames `0..=floor(D * FPS / 1000)` and sound of the same length. A
//!   file without video covers no time and does not move the end. `D` past
//!   24 hours is an error.
//! - **Output.** H.264 (`libx264 -preset veryfast`, the job's bit rate as
//!   both target and maximum, a buffer of two seconds' worth, a key frame
//!   every two seconds) in `yuv420p` tagged BT.709 limited range, and AAC
//!   at 128 kb/s, in an MP4 moved to the front for streaming
//!   (`+faststart`), whatever the output's name. An `audio_only` job
//!   writes the sound alone, `D` ms long (at least 1024 samples).
//! - **Processes.** Composed frames reach the encoder through its stdin,
//!   the mixed sound through a Unix socket; pipes of bounded size keep
//!   every stage in step and memory bounded. Children run in their own
//!   process group and are killed on any failure or interruption; the
//!   output is written to a temporary file that replaces it only when
//!   everything succeeded.
//!
//! ```no_run
//! use std::path::Path;
//! use std::sync::Arc;
//! use std::sync::atomic::AtomicBool;
//! use mixlayout::picture::LoadOptions;
//! use mixlayout::record::{Media, RecordOptions, Recording};
//! use mixlayout::{parse_events, Job, Room};
//!
//! let job = Arc::new(Job::from_json(&std::fs::read("meeting/job.json")?)?);
//! let events = parse_events(&std::fs::read("meeting/events.json")?)?;
//! let media = Media::from_json(&std::fs::read("meeting/media.json")?, Path::new("meeting"))?;
//! let recording = Recording::prepare(Room::new(job), &events, &media, RecordOptions::default())?;
//! let (images, _) = recording.load_images(&LoadOptions::default())?;
//! let cancel = AtomicBool::new(false);
//! recording.run(&images, Path::new("meeting.mp4"), &mut |p| eprintln!("{:.0}%", p.percent()), &cancel)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod audio;
mod media;
mod probe;
mod process;
mod video;

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub use media::{Media, MediaFile};

use crate::error::{Error, EventError, MediaError};
use crate::event::{Action, Event};
use crate::frame::{ComposeOptions, Compositor, Frame, FrameRef};
use crate::geometry::Size;
use crate::job::EncodeTemplate;
use crate::layout::{Layout, TileKind};
use crate::limits::MAX_AT;
use crate::output::Output;
use crate::picture::{LoadOptions, Pictures, Unfetched, job_images};
use crate::room::Room;
use crate::source::Stream;
use crate::timeline::Timeline;
use probe::Probed;
use process::{Process, command, pipe_broke, url};
use video::Decoder;

/// How to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordOptions {
    /// End the recording here (ms) instead of where the meeting ends.
    pub until: Option<u32>,
    /// Skip events that do not fit the room (see [`Timeline::lenient`]).
    pub lenient: bool,
    /// Draw labels and initials.
    pub labels: bool,
    /// Threads that compose each frame.
    pub threads: usize,
    /// The `ffmpeg` program.
    pub ffmpeg: PathBuf,
    /// The `ffprobe` program.
    pub ffprobe: PathBuf,
}

impl Default for RecordOptions {
    fn default() -> Self {
        RecordOptions {
            until: None,
            lenient: false,
            labels: true,
            threads: 1,
            ffmpeg: "ffmpeg".into(),
            ffprobe: "ffprobe".into(),
        }
    }
}

/// How far a recording has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Recording time written, in ms.
    pub done_ms: u64,
    /// Recording time in all, in ms.
    pub total_ms: u64,
    /// Time since the recording started.
    pub elapsed: Duration,
}

impl Progress {
    /// How much is done, 0..=100.
    ///
    /// ```
    /// use std::time::Duration;
    /// use mixlayout::record::Progress;
    /// let p = Progress { done_ms: 30_000, total_ms: 120_000, elapsed: Duration::from_secs(10) };
    /// assert_eq!(p.percent(), 25.0);
    /// assert_eq!(p.speed(), Some(3.0)); // three times real time
    /// assert_eq!(p.remaining(), Some(Duration::from_secs(30)));
    /// ```
    pub fn percent(&self) -> f64 {
        if self.total_ms == 0 {
            return 100.0;
        }
        self.done_ms as f64 * 100.0 / self.total_ms as f64
    }

    /// Recording time written per second of work: above 1 is faster than
    /// real time. `None` before any time has passed.
    pub fn speed(&self) -> Option<f64> {
        let elapsed = self.elapsed.as_secs_f64();
        (elapsed > 0.0).then(|| self.done_ms as f64 / 1000.0 / elapsed)
    }

    /// The time left at the speed so far. `None` before anything is done.
    pub fn remaining(&self) -> Option<Duration> {
        (self.done_ms > 0).then(|| {
            let left = self.total_ms.saturating_sub(self.done_ms) as f64 / self.done_ms as f64;
            self.elapsed.mul_f64(left)
        })
    }
}

/// A meeting checked and its files probed, ready to record; see the module
/// docs.
#[derive(Debug)]
pub struct Recording<'e> {
    room: Room,
    events: &'e [Event],
    options: RecordOptions,
    /// The files of users who are present at some time, in the media
    /// list's order.
    files: Vec<Probed>,
    /// Each user's camera and screen files, by start.
    streams: HashMap<Arc<str>, [Vec<usize>; 2]>,
    ignored: Vec<Arc<str>>,
    skipped: Vec<EventError>,
    /// Layouts that show every job image the meeting shows.
    image_layouts: Vec<Layout>,
    end: u32,
}

impl<'e> Recording<'e> {
    /// Checks that `ffmpeg` and `ffprobe` run, walks `room` (as it is at
    /// instant 0) through `events` (every event is checked, as for a
    /// timeline), probes every file of `media` whose user is present at
    /// some time, checks that no two files of one user's stream overlap,
    /// and finds the end.
    pub fn prepare(
        room: Room,
        events: &'e [Event],
        media: &Media,
        options: RecordOptions,
    ) -> Result<Recording<'e>, Error> {
        for program in [&options.ffmpeg, &options.ffprobe] {
            check_program(program)?;
        }
        let mut timeline = Timeline::new(room.clone(), events).lenient(options.lenient);
        let mut image_layouts: Vec<Layout> = Vec::new();
        let mut images_seen: HashSet<Arc<str>> = HashSet::new();
        while let Some(epoch) = timeline.next_epoch()? {
            // Only the layouts that show an image not seen before.
            let seen = images_seen.len();
            images_seen.extend(job_images(epoch.layout).cloned());
            if images_seen.len() > seen {
                image_layouts.push(epoch.layout.clone());
            }
        }
        timeline.run_out()?;
        let meeting_end = timeline.room().now();
        let skipped = timeline.skipped().to_vec();
        let skipped_at: HashSet<usize> = skipped.iter().map(|e| e.index).collect();
        let joined: HashSet<&str> = events
            .iter()
            .enumerate()
            .filter(|(i, e)| matches!(e.action, Action::Join { .. }) && !skipped_at.contains(i))
            .map(|(_, e)| &*e.user_id)
            .collect();
        let present = |user: &str| room.contains(user) || joined.contains(user);
        let (kept, others): (Vec<&MediaFile>, Vec<&MediaFile>) =
            media.files.iter().partition(|f| present(&f.user_id));
        let mut ignored: Vec<Arc<str>> = Vec::new();
        for file in others {
            if !ignored.contains(&file.user_id) {
                ignored.push(file.user_id.clone());
            }
        }
        let files = probe_all(&options.ffprobe, &kept)?;
        let streams = streams_of(&files)?;
        let files_end = files.iter().map(Probed::end).max().unwrap_or(0);
        let end = match options.until {
            Some(until) => u64::from(until),
            None => u64::from(meeting_end).max(files_end),
        };
        let end = u32::try_from(end)
            .ok()
            .filter(|&e| e <= MAX_AT)
            .ok_or(MediaError::TooLong { end })?;
        Ok(Recording {
            room,
            events,
            options,
            files,
            streams,
            ignored,
            skipped,
            image_layouts,
            end,
        })
    }

    /// Where the recording ends (`D`, ms).
    pub fn end(&self) -> u32 {
        self.end
    }

    /// The number of frames, `floor(D * FPS / 1000) + 1`; `None` for an
    /// audio-only job.
    pub fn frames(&self) -> Option<u64> {
        match self.room.job().encode() {
            EncodeTemplate::AudioOnly => None,
            EncodeTemplate::Video { fps, .. } => Some(frame_count(self.end, fps)),
        }
    }

    /// Users of the media list who are never present: their files are
    /// left out.
    pub fn ignored_users(&self) -> &[Arc<str>] {
        &self.ignored
    }

    /// The events skipped (with [`RecordOptions::lenient`]).
    pub fn skipped(&self) -> &[EventError] {
        &self.skipped
    }

    /// Loads the job's images (background, screen background,
    /// placeholders) that the meeting shows, as [`Pictures::load`] does;
    /// `options.sources` is not used (sources are the media files).
    pub fn load_images(&self, options: &LoadOptions) -> Result<(Pictures, Vec<Unfetched>), Error> {
        let options = LoadOptions {
            sources: None,
            ..options.clone()
        };
        let layouts: Vec<&Layout> = self.image_layouts.iter().collect();
        Pictures::load(self.room.job(), &layouts, &options)
    }

    /// Records the meeting into `out` (an MP4, whatever its name), drawing
    /// the job's images from `images`. `progress` hears of every frame (or
    /// block of sound); setting `cancel` stops the recording with
    /// [`MediaError::Interrupted`]. On any error every child process is
    /// killed and `out` is left as it was.
    pub fn run(
        &self,
        images: &Pictures,
        out: &Path,
        progress: &mut dyn FnMut(&Progress),
        cancel: &AtomicBool,
    ) -> Result<(), Error> {
        let output = Output::new(out)?;
        let files: Vec<&Probed> = self.files.iter().collect();
        let started = Instant::now();
        match self.room.job().encode() {
            EncodeTemplate::AudioOnly => {
                let samples = (u64::from(self.end) * audio::RATE / 1000).max(1024);
                let mut encoder = self.encoder(None, output.temp_path(), out)?;
                let mut stdin = encoder.stdin();
                let total_ms = samples * 1000 / audio::RATE;
                let mut report = |done: u64| {
                    progress(&Progress {
                        done_ms: done * 1000 / audio::RATE,
                        total_ms,
                        elapsed: started.elapsed(),
                    });
                };
                let mixed = match &mut stdin {
                    Some(stdin) => audio::mix(
                        &self.options.ffmpeg,
                        &files,
                        samples,
                        stdin,
                        cancel,
                        &mut report,
                    ),
                    None => Ok(()),
                };
                drop(stdin);
                settle(&mut encoder, mixed, out)?;
            }
            EncodeTemplate::Video { canvas, fps, .. } => {
                let frames = frame_count(self.end, fps);
                let samples = frames * audio::RATE / u64::from(fps);
                let socket = AudioInput::bind()?;
                let mut encoder =
                    self.encoder(Some((canvas, &socket.path)), output.temp_path(), out)?;
                let stdin = encoder.stdin();
                let stop = AtomicBool::new(false);
                let options = ComposeOptions {
                    labels: self.options.labels,
                    threads: self.options.threads,
                };
                let compositor = Compositor::new(self.room.shared_job().clone(), images, options)?;
                let (composed, mixed) = std::thread::scope(|scope| {
                    let sound = scope.spawn(|| {
                        let mut connection = socket.accept(&stop)?;
                        let result = audio::mix(
                            &self.options.ffmpeg,
                            &files,
                            samples,
                            &mut connection,
                            &stop,
                            &mut |_| {},
                        );
                        if result.is_err() {
                            stop.store(true, Ordering::Relaxed);
                        }
                        result
                    });
                    let composed = match stdin {
                        Some(stdin) => {
                            process::widen(&stdin, canvas.area() as usize * 3 / 2);
                            let mut frames_out = FrameLoop {
                                recording: self,
                                compositor,
                                encoder: stdin,
                                canvas,
                                fps,
                                frames,
                            };
                            frames_out.run(&stop, cancel, started, progress)
                        }
                        None => Ok(()),
                    };
                    // The encoder has all the frames and goes on with the
                    // sound; or none will come, and it and the sound stop.
                    if composed.is_err() {
                        stop.store(true, Ordering::Relaxed);
                        encoder.kill();
                    }
                    let mixed = sound.join().unwrap_or(Err(MediaError::Interrupted.into()));
                    (composed, mixed)
                });
                let failed = composed.err().or(mixed.err());
                settle(&mut encoder, failed.map_or(Ok(()), Err), out)?;
            }
        }
        output.commit()?;
        Ok(())
    }

    /// Starts the encoder: raw video from stdin (with a canvas) and sound
    /// from `audio` (or from stdin without one), into `temp`.
    fn encoder(
        &self,
        video: Option<(Size, &Path)>,
        temp: &Path,
        out: &Path,
    ) -> Result<Process, Error> {
        let mut command = command(&self.options.ffmpeg);
        command.arg("-y");
        let sound = ["-f", "f32le", "-ar", "48000", "-ac", "2", "-i"];
        match (video, self.room.job().encode()) {
            (Some((canvas, socket)), EncodeTemplate::Video { fps, kbps, .. }) => {
                command
                    .args(["-f", "rawvideo", "-pix_fmt", "yuv420p", "-s"])
                    .arg(format!("{}x{}", canvas.width, canvas.height))
                    .args(["-framerate", &fps.to_string(), "-thread_queue_size", "16"])
                    .args(["-i", "pipe:0"])
                    .args(sound)
                    .arg(unix_url(socket))
                    .args([
                        "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "veryfast",
                    ])
                    .args(["-b:v", &format!("{kbps}k"), "-maxrate", &format!("{kbps}k")])
                    .args(["-bufsize", &format!("{}k", 2 * u64::from(kbps))])
                    .args(["-g", &(2 * fps).to_string(), "-pix_fmt", "yuv420p"])
                    .args(["-colorspace", "bt709", "-color_primaries", "bt709"])
                    .args(["-color_trc", "bt709", "-color_range", "tv"]);
            }
            _ => {
                command.args(sound).args(["pipe:0", "-map", "0:a"]);
            }
        }
        command
            .args([
                "-c:a",
                "aac",
                "-b:a",
                "128k",
                "-movflags",
                "+faststart",
                "-f",
                "mp4",
            ])
            .arg(url(temp));
        Ok(Process::spawn(&mut command, true, "encoder", out)?)
    }

    /// The file of `user`'s `stream` that covers the instant `t`.
    fn covering(&self, user: &str, stream: Stream, t: u32) -> Option<usize> {
        let list = &self.streams.get(user)?[stream as usize];
        let after = list.partition_point(|&i| self.files[i].source.start <= t);
        let i = *list.get(after.checked_sub(1)?)?;
        self.files[i].covers(t).then_some(i)
    }
}

/// The frames of a recording, composed and sent to the encoder.
struct FrameLoop<'r, 'e> {
    recording: &'r Recording<'e>,
    compositor: Compositor,
    encoder: std::process::ChildStdin,
    canvas: Size,
    fps: u32,
    frames: u64,
}

impl FrameLoop<'_, '_> {
    fn run(
        &mut self,
        stop: &AtomicBool,
        cancel: &AtomicBool,
        started: Instant,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<(), Error> {
        let recording = self.recording;
        let fps = u64::from(self.fps);
        let mut timeline = Timeline::new(recording.room.clone(), recording.events)
            .lenient(recording.options.lenient)
            .until(recording.end + 1);
        let mut layout = Layout::default();
        let mut layout_to = Some(0);
        let mut decoders: HashMap<usize, Decoder> = HashMap::new();
        let mut visible: Vec<(usize, Arc<str>, Stream)> = Vec::new();
        let mut out = Frame::new(self.canvas.width, self.canvas.height)?;
        let total_ms = self.frames * 1000 / fps;
        for n in 0..self.frames {
            if cancel.load(Ordering::Relaxed) {
                return Err(MediaError::Interrupted.into());
            }
            if stop.load(Ordering::Relaxed) {
                // The sound failed; its error is the one reported.
                return Ok(());
            }
            let t = (n * 1000 / fps) as u32;
            while layout_to.is_some_and(|to| to <= t) {
                match timeline.next_epoch()? {
                    Some(epoch) => {
                        layout.clone_from(epoch.layout);
                        layout_to = epoch.to;
                    }
                    None => layout_to = None,
                }
            }
            visible.clear();
            for tile in layout.tiles.iter().filter(|t| t.kind == TileKind::Video) {
                if let (Some(user), Some(stream)) = (&tile.user_id, tile.stream)
                    && let Some(i) = recording.covering(user, stream, t)
                {
                    visible.push((i, user.clone(), stream));
                }
            }
            decoders.retain(|i, _| visible.iter().any(|v| v.0 == *i));
            for (i, ..) in &visible {
                let file = &recording.files[*i];
                if let (false, Some(video)) = (decoders.contains_key(i), &file.video) {
                    let decoder = Decoder::start(
                        &recording.options.ffmpeg,
                        file,
                        video,
                        t - file.source.start,
                        self.fps,
                        self.canvas,
                    )?;
                    decoders.insert(*i, decoder);
                }
            }
            for decoder in decoders.values_mut() {
                decoder.advance()?;
            }
            let current: Vec<(&str, Stream, FrameRef<'_>)> = visible
                .iter()
                .filter_map(|(i, user, stream)| Some((&**user, *stream, decoders.get(i)?.frame()?)))
                .collect();
            let sources = |user: &str, stream: Stream| {
                current
                    .iter()
                    .find(|(u, s, _)| *u == user && *s == stream)
                    .map(|c| c.2)
            };
            self.compositor
                .compose(&layout, &sources, &mut out.as_mut())?;
            for plane in out.planes() {
                self.encoder.write_all(plane).map_err(pipe_broke)?;
            }
            progress(&Progress {
                done_ms: ((n + 1) * 1000 / fps).min(total_ms),
                total_ms,
                elapsed: started.elapsed(),
            });
        }
        Ok(())
    }
}

/// `floor(D * FPS / 1000) + 1`.
fn frame_count(end: u32, fps: u32) -> u64 {
    u64::from(end) * u64::from(fps) / 1000 + 1
}

/// Ends the encoder (which writes `out`) after the work: without an error
/// it finishes the file; when a pipe to it broke, it failed first, and
/// what it said is the error; after any other error it is killed.
fn settle(encoder: &mut Process, work: Result<(), Error>, out: &Path) -> Result<(), Error> {
    match work {
        Ok(()) => Ok(encoder.finish()?),
        Err(Error::Media(MediaError::Failed {
            role: "encoder",
            message,
            ..
        })) => {
            encoder.finish()?;
            let file = out.to_owned();
            Err(MediaError::Failed {
                role: "encoder",
                file,
                message,
            }
            .into())
        }
        Err(e) => {
            encoder.kill();
            Err(e)
        }
    }
}

/// Fails with [`MediaError::Missing`] when `program` does not run.
fn check_program(program: &Path) -> Result<(), MediaError> {
    let ran = Command::new(program)
        .arg("-version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    match ran {
        Ok(status) if status.success() => Ok(()),
        _ => Err(MediaError::Missing {
            program: program.to_owned(),
        }),
    }
}

/// Probes `files`, a few at a time; the first error in the list's order is
/// the one reported.
fn probe_all(ffprobe: &Path, files: &[&MediaFile]) -> Result<Vec<Probed>, Error> {
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get() * 2)
        .min(8);
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<Result<Probed, Error>>> = Vec::new();
    results.resize_with(files.len(), || None);
    let done = std::sync::Mutex::new(results);
    std::thread::scope(|scope| {
        for _ in 0..workers.min(files.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(file) = files.get(i) else { break };
                    let result = probe::probe(ffprobe, file);
                    if let Ok(mut done) = done.lock() {
                        done[i] = Some(result);
                    }
                }
            });
        }
    });
    done.into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.unwrap_or(Err(MediaError::Interrupted.into())))
        .collect()
}

/// Each user's camera and screen files by start; two that overlap are an
/// error naming both.
fn streams_of(files: &[Probed]) -> Result<HashMap<Arc<str>, [Vec<usize>; 2]>, MediaError> {
    let mut streams: HashMap<Arc<str>, [Vec<usize>; 2]> = HashMap::new();
    for (i, file) in files.iter().enumerate().filter(|(_, f)| f.video.is_some()) {
        streams.entry(file.source.user_id.clone()).or_default()[file.source.stream as usize]
            .push(i);
    }
    for list in streams.values_mut().flat_map(|s| s.iter_mut()) {
        list.sort_by_key(|&i| (files[i].source.start, i));
        for pair in list.windows(2) {
            let (a, b) = (&files[pair[0]], &files[pair[1]]);
            if u64::from(b.source.start) < a.end() {
                return Err(MediaError::Overlap {
                    first: a.source.file.clone(),
                    second: b.source.file.clone(),
                });
            }
        }
    }
    Ok(streams)
}

/// The Unix socket the encoder reads the sound from.
struct AudioInput {
    listener: UnixListener,
    path: PathBuf,
}

impl AudioInput {
    /// A socket in the temporary folder.
    fn bind() -> Result<AudioInput, Error> {
        static MADE: AtomicUsize = AtomicUsize::new(0);
        let n = MADE.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("mixlayout-{}-{n}.sock", std::process::id()));
        let io = |source| Error::Io {
            path: path.clone(),
            source,
        };
        let listener = UnixListener::bind(&path).map_err(io)?;
        // Polled, so that a recording that fails before the encoder
        // connects is not left waiting.
        listener.set_nonblocking(true).map_err(io)?;
        Ok(AudioInput { listener, path })
    }

    /// The encoder's connection, once it comes.
    fn accept(&self, stop: &AtomicBool) -> Result<UnixStream, Error> {
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    stream.set_nonblocking(false).map_err(|source| Error::Io {
                        path: self.path.clone(),
                        source,
                    })?;
                    return Ok(stream);
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if stop.load(Ordering::Relaxed) {
                        return Err(MediaError::Interrupted.into());
                    }
                    std::thread::sleep(Duration::from_millis(2));
                }
                Err(source) => {
                    return Err(Error::Io {
                        path: self.path.clone(),
                        source,
                    });
                }
            }
        }
    }
}

impl Drop for AudioInput {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The socket as ffmpeg's `unix:` protocol names it.
fn unix_url(path: &Path) -> std::ffi::OsString {
    let mut url = std::ffi::OsString::from("unix:");
    url.push(path);
    url
}
