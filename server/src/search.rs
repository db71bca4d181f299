//! What text a record is found by: folded (lower case, no diacritics) so that
//! "dat dai" finds "đất đai". A denouncer's identity is never indexed.

use shared::text::fold;
use shared::{Dialogue, Opinion};

pub fn dialogue_search_text(d: &Dialogue) -> String {
    fold(
        &[
            &d.topic,
            &d.venue,
            &d.audience_group,
            &d.chair_name,
            &d.invited_agencies,
            &d.conclusion,
        ]
        .map(|s| s.as_str())
        .join("\n"),
    )
}

/// `protected`: the opinion is or ever was a denunciation.
pub fn opinion_search_text(o: &Opinion, protected: bool) -> String {
    let (name, address) = if protected || o.is_denunciation() {
        ("", "")
    } else {
        (o.speaker_name.as_str(), o.speaker_address.as_str())
    };
    fold(
        &[
            name,
            address,
            &o.content,
            &o.answer,
            &o.answered_by,
            &o.follow_up.proposed_agency,
        ]
        .join("\n"),
    )
}

/// The LIKE pattern for a user's query, with LIKE's wildcards escaped.
pub fn like_pattern(query: &str) -> String {
    let folded = fold(query.trim());
    let escaped = folded
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::{DialogueId, OpinionKind};

    #[test]
    fn a_denouncer_is_not_searchable() {
        let mut o = Opinion::new(DialogueId::new(), 1);
        o.kind = OpinionKind::Denunciation;
        o.speaker_name = "Trần Thị Hoa".into();
        o.content = "Tố cáo lấn chiếm đất".into();
        let text = opinion_search_text(&o, false);
        assert!(!text.contains("hoa"));
        assert!(text.contains("lan chiem dat"));
        o.kind = OpinionKind::Proposal;
        assert!(
            !opinion_search_text(&o, true).contains("hoa"),
            "nor once it was one"
        );
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern(" Đất_đai 100% "), "%dat\\_dai 100\\%%");
    }
}
