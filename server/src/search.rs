//! What text a record is found by: folded (lower case, no diacritics) so that
//! "dat dai" finds "đất đai"; and how a query finds it through each engine's
//! trigram index (SQLite FTS5, PostgreSQL pg_trgm; migration 0004). A
//! denouncer's identity is never indexed.

use shared::text::fold;
use shared::{Dialogue, Opinion};

use crate::db::Engine;

/// Shorter folded queries have no trigram to look up; they scan instead.
const TRIGRAM: usize = 3;

/// A query for dialogues whose own text or any opinion's text contains a
/// folded string: SQL selecting dialogue ids, with `?` where the value of
/// [`Match::value`] goes (it appears twice; both take the same value).
pub struct Match {
    pub ids_sql: &'static str,
    pub value: String,
}

impl Match {
    pub fn new(engine: Engine, query: &str) -> Self {
        let folded = fold(query.trim());
        if engine == Engine::Sqlite && folded.chars().count() >= TRIGRAM {
            // An FTS5 phrase of the trigram tokenizer matches a substring.
            return Self {
                ids_sql: "SELECT d2.id FROM dialogues_search s JOIN dialogues d2 ON d2.version = s.rowid WHERE dialogues_search MATCH ? \
                          UNION SELECT o.dialogue_id FROM opinions_search s JOIN opinions o ON o.version = s.rowid WHERE opinions_search MATCH ?",
                value: format!("\"{}\"", folded.replace('"', "\"\"")),
            };
        }
        // PostgreSQL's GIN trigram index serves LIKE itself.
        Self {
            ids_sql: "SELECT id FROM dialogues WHERE search_text LIKE ? ESCAPE '\\' \
                      UNION SELECT dialogue_id FROM opinions WHERE search_text LIKE ? ESCAPE '\\'",
            value: like_pattern(&folded),
        }
    }
}

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

/// The LIKE pattern for a folded query, with LIKE's wildcards escaped.
fn like_pattern(folded: &str) -> String {
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
        assert_eq!(like_pattern("dat_dai 100%"), "%dat\\_dai 100\\%%");
    }

    #[test]
    fn sqlite_searches_a_quoted_trigram_phrase_and_short_queries_scan() {
        let phrase = Match::new(Engine::Sqlite, " Đất \"đai\" ");
        assert_eq!(phrase.value, "\"dat \"\"dai\"\"\"");
        assert!(phrase.ids_sql.contains("MATCH"));
        let short = Match::new(Engine::Sqlite, "đ");
        assert_eq!(short.value, "%d%");
        assert!(short.ids_sql.contains("LIKE"));
        assert!(Match::new(Engine::Postgres, "dat dai")
            .ids_sql
            .contains("LIKE"));
    }
}
