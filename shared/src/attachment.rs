//! Photos of the signed paper pages and short audio notes attached to a
//! dialogue's minutes: what a tablet declares before sending one, the
//! limits, and what the server says it holds. The bytes travel in chunks
//! sent at the offset the server has reached, so an upload cut half-way
//! resumes where it stopped; the checksum proves the whole arrived.

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::ids::DialogueId;

/// The most one chunk may carry.
pub const CHUNK_MAX: usize = 256 * 1024;
/// A photo reduced on the tablet (long side 1,600 px, JPEG) is far below.
pub const PHOTO_MAX_BYTES: u64 = 8 * 1024 * 1024;
/// A few minutes of speech.
pub const AUDIO_MAX_BYTES: u64 = 20 * 1024 * 1024;
/// Pages of signatures and notes of one dialogue.
pub const PER_DIALOGUE_MAX: i64 = 40;
/// The long side of a photo as the tablet keeps it: a signed A4 page stays
/// readable, at a tenth of a camera's bytes.
pub const PHOTO_LONG_SIDE: u32 = 1600;
/// JPEG quality of a reduced photo (0 to 1, as the canvas takes it).
pub const PHOTO_QUALITY: f64 = 0.85;
/// The tablet's IndexedDB database and object store of files not yet
/// sent, shared by the page that keeps them and the service worker that
/// sends them (the server writes these names into `sw.js`).
pub const DEVICE_DB: &str = "doithoai-attachments";
pub const DEVICE_STORE: &str = "files";
/// The store's index by dialogue.
pub const DEVICE_INDEX: &str = "dialogue";
/// Days a sent file stays on the tablet (shown as sent) before it leaves
/// the device's storage; the server keeps it.
pub const KEEP_SENT_DAYS: u64 = 7;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    /// A photo of a signed page of the minutes.
    Photo,
    /// A short audio note.
    Audio,
}

impl AttachmentKind {
    /// The media types a tablet sends of this kind.
    pub fn media_types(self) -> &'static [&'static str] {
        match self {
            Self::Photo => &["image/jpeg"],
            Self::Audio => &["audio/webm", "audio/ogg", "audio/mp4"],
        }
    }

    pub fn max_bytes(self) -> u64 {
        match self {
            Self::Photo => PHOTO_MAX_BYTES,
            Self::Audio => AUDIO_MAX_BYTES,
        }
    }
}

/// What a tablet declares before the first byte: `PUT /api/attachments/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAttachment {
    pub dialogue_id: DialogueId,
    pub kind: AttachmentKind,
    pub media_type: String,
    pub size: u64,
    /// SHA-256 of the whole file, lowercase hex.
    pub sha256: String,
}

impl NewAttachment {
    pub fn validate(&self) -> Result<(), DomainError> {
        if !self.kind.media_types().contains(&self.media_type.as_str()) {
            return Err(DomainError::OutOfRange {
                field: "media_type",
            });
        }
        if self.size == 0 || self.size > self.kind.max_bytes() {
            return Err(DomainError::OutOfRange { field: "size" });
        }
        let hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
        if self.sha256.len() != 64 || !self.sha256.chars().all(hex) {
            return Err(DomainError::OutOfRange { field: "sha256" });
        }
        Ok(())
    }
}

/// What the server holds of an attachment: how many bytes, and whether
/// they are all there and match the checksum.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentStatus {
    pub id: String,
    pub dialogue_id: DialogueId,
    pub kind: AttachmentKind,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
    /// The offset the next chunk must be sent at.
    pub received: u64,
    pub complete: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(size: u64) -> NewAttachment {
        NewAttachment {
            dialogue_id: DialogueId::new(),
            kind: AttachmentKind::Photo,
            media_type: "image/jpeg".into(),
            size,
            sha256: "a".repeat(64),
        }
    }

    #[test]
    fn an_attachment_is_refused_past_its_kinds_size_or_media_type_or_with_a_bad_checksum() {
        assert!(photo(300_000).validate().is_ok());
        assert!(photo(0).validate().is_err());
        assert!(photo(PHOTO_MAX_BYTES + 1).validate().is_err());
        let mut png = photo(10);
        png.media_type = "image/png".into();
        assert!(png.validate().is_err());
        let mut audio = photo(PHOTO_MAX_BYTES + 1);
        audio.kind = AttachmentKind::Audio;
        audio.media_type = "audio/webm".into();
        assert!(audio.validate().is_ok());
        let mut upper = photo(10);
        upper.sha256 = "A".repeat(64);
        assert!(upper.validate().is_err());
    }
}
