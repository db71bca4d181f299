//! What the public may see of a dialogue's results (Law on Local Government
//! 2025 Art. 43; issue 12). An allow-list: each public field is copied here
//! by name from the domain, so a field added to the minutes stays private
//! until it is named in [`PublicDialogue::of`]. Nobody's name, address or
//! ID number is copied (not the chair's, not the secretary's, not any
//! speaker's), and of a tố cáo only its kind and field.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::follow_up::{Event, Item, Stage};
use crate::{Dialogue, DialogueId, DialogueKind, Opinion, OpinionKind, SubjectField, UnitCode};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicDialogue {
    pub id: DialogueId,
    pub unit_code: UnitCode,
    pub unit_name: String,
    pub kind: DialogueKind,
    pub topic: String,
    pub held_on: Option<NaiveDate>,
    pub venue: String,
    pub citizens_attending: u32,
    /// The chair's conclusion.
    pub conclusion: String,
    pub opinions: Vec<PublicOpinion>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicOpinion {
    pub position: i64,
    pub kind: OpinionKind,
    pub field: SubjectField,
    /// None for a tố cáo.
    pub content: Option<String>,
    /// The answer given at the meeting; None for a tố cáo.
    pub answer: Option<String>,
    pub follow_up: Option<PublicFollowUp>,
}

/// Where an assigned opinion stands, as the public sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicFollowUp {
    pub stage: Stage,
    pub agency: String,
    pub due: Option<NaiveDate>,
    pub replied_on: Option<NaiveDate>,
    /// The written reply's summary; None for a tố cáo.
    pub reply: Option<String>,
}

/// An opinion's follow-up as the server holds it: the item, its agency's
/// name and its events.
pub struct FollowUpFacts<'a> {
    pub item: &'a Item,
    pub agency: &'a str,
    pub events: &'a [Event],
}

impl PublicDialogue {
    /// The public view of finalised minutes: `opinions` still in them, each
    /// with its follow-up when it has one.
    pub fn of<'a>(
        d: &Dialogue,
        unit_name: &str,
        opinions: impl IntoIterator<Item = (&'a Opinion, Option<FollowUpFacts<'a>>)>,
    ) -> Self {
        let mut opinions: Vec<PublicOpinion> = opinions
            .into_iter()
            .filter(|(o, _)| !o.deleted)
            .map(|(o, facts)| public_opinion(o, facts))
            .collect();
        opinions.sort_by_key(|o| o.position);
        Self {
            id: d.id,
            unit_code: d.unit_code.clone(),
            unit_name: unit_name.to_owned(),
            kind: d.kind,
            topic: d.topic.clone(),
            held_on: d.held_on(),
            venue: d.venue.clone(),
            citizens_attending: d.citizens_attending,
            conclusion: d.conclusion.clone(),
            opinions,
        }
    }
}

fn public_opinion(o: &Opinion, facts: Option<FollowUpFacts>) -> PublicOpinion {
    // A tố cáo's words could name or point to the denouncer.
    let open = o.kind != OpinionKind::Denunciation;
    let words = |text: &str| open.then(|| text.to_owned());
    PublicOpinion {
        position: o.position,
        kind: o.kind,
        field: o.field,
        content: words(&o.content),
        answer: words(&o.answer),
        follow_up: facts.map(|f| PublicFollowUp {
            stage: f.item.stage,
            agency: f.agency.to_owned(),
            due: f.item.due,
            replied_on: f.item.replied_on,
            reply: f.events.iter().rev().find_map(|e| match e {
                Event::Replied { summary, .. } => words(summary),
                _ => None,
            }),
        }),
    }
}

/// What changed from one publication of a dialogue to the next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum SnapshotChange {
    /// One of the dialogue's own public fields: `topic`, `venue`,
    /// `held_on`, `citizens_attending`, `conclusion`.
    Dialogue {
        field: String,
    },
    OpinionAdded {
        position: i64,
    },
    OpinionRemoved {
        position: i64,
    },
    /// The opinion's kind, field, words or answer.
    OpinionEdited {
        position: i64,
    },
    /// Its follow-up (state, agency, due date, reply), now at `stage`.
    FollowUp {
        position: i64,
        stage: Option<Stage>,
    },
}

impl PublicDialogue {
    /// What the public sees differently here than in `earlier`.
    pub fn changes_since(&self, earlier: &PublicDialogue) -> Vec<SnapshotChange> {
        let mut changes: Vec<SnapshotChange> = [
            ("topic", self.topic != earlier.topic),
            ("venue", self.venue != earlier.venue),
            ("held_on", self.held_on != earlier.held_on),
            (
                "citizens_attending",
                self.citizens_attending != earlier.citizens_attending,
            ),
            ("conclusion", self.conclusion != earlier.conclusion),
        ]
        .into_iter()
        .filter(|(_, changed)| *changed)
        .map(|(field, _)| SnapshotChange::Dialogue {
            field: field.into(),
        })
        .collect();
        let at = |list: &[PublicOpinion], position| {
            list.iter().find(|o| o.position == position).cloned()
        };
        for o in &self.opinions {
            match at(&earlier.opinions, o.position) {
                None => changes.push(SnapshotChange::OpinionAdded {
                    position: o.position,
                }),
                Some(before) => {
                    let said =
                        |x: &PublicOpinion| (x.kind, x.field, x.content.clone(), x.answer.clone());
                    if said(o) != said(&before) {
                        changes.push(SnapshotChange::OpinionEdited {
                            position: o.position,
                        });
                    }
                    if o.follow_up != before.follow_up {
                        changes.push(SnapshotChange::FollowUp {
                            position: o.position,
                            stage: o.follow_up.as_ref().map(|f| f.stage),
                        });
                    }
                }
            }
        }
        for before in &earlier.opinions {
            if at(&self.opinions, before.position).is_none() {
                changes.push(SnapshotChange::OpinionRemoved {
                    position: before.position,
                });
            }
        }
        changes
    }
}

/// One publication of a dialogue, as the office sees its history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationEntry {
    pub revision: i64,
    pub published_by: String,
    pub published_at: i64,
    pub withdrawn_at: Option<i64>,
    pub withdraw_reason: Option<String>,
    /// What it showed differently from the publication before it (empty
    /// for the first).
    pub changes: Vec<SnapshotChange>,
}

/// `GET /api/dialogues/{id}/publication`: what would be published now, and
/// every publication so far, latest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationView {
    pub preview: PublicDialogue,
    pub history: Vec<PublicationEntry>,
}

/// `POST /api/dialogues/{id}/publication/withdraw`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AgencyId;

    #[test]
    fn a_new_publication_names_what_changed_since_the_one_before() {
        let d = Dialogue::new(UnitCode::parse("00070").unwrap());
        let mut first = Opinion::new(d.id, 1);
        first.content = "Đường hỏng".into();
        let second = Opinion::new(d.id, 2);
        let before = PublicDialogue::of(&d, "Phường", [(&first, None), (&second, None)]);
        let mut d2 = d.clone();
        d2.conclusion = "Kết luận mới".into();
        first.answer = "Sẽ sửa trong tháng".into();
        let third = Opinion::new(d.id, 3);
        let item = Item::from_events(&[Event::Assigned {
            agency: AgencyId::new(),
            on: "2026-03-02".parse().unwrap(),
            due: "2026-04-01".parse().unwrap(),
        }])
        .unwrap();
        let facts = FollowUpFacts {
            item: &item,
            agency: "Công an",
            events: &[],
        };
        let after = PublicDialogue::of(&d2, "Phường", [(&first, Some(facts)), (&third, None)]);
        assert_eq!(
            after.changes_since(&before),
            [
                SnapshotChange::Dialogue {
                    field: "conclusion".into()
                },
                SnapshotChange::OpinionEdited { position: 1 },
                SnapshotChange::FollowUp {
                    position: 1,
                    stage: Some(Stage::Assigned)
                },
                SnapshotChange::OpinionAdded { position: 3 },
                SnapshotChange::OpinionRemoved { position: 2 },
            ]
        );
        assert!(after.changes_since(&after).is_empty());
    }

    #[test]
    fn nobody_is_named_and_a_denunciation_shows_only_its_kind_and_field() {
        let mut d = Dialogue::new(UnitCode::parse("00070").unwrap());
        d.topic = "Trật tự đô thị".into();
        d.chair_name = "Nguyễn Chủ Tọa".into();
        d.secretary_name = "Lò Thư Ký".into();
        d.mttq_representative = "Hà Mặt Trận".into();
        let mut spoken = Opinion::new(d.id, 1);
        spoken.speaker_name = "Ông Công Dân".into();
        spoken.speaker_address = "Ngõ Riêng".into();
        spoken.speaker_id_number = "001122334455".into();
        spoken.answered_by = "Cán Bộ Trả Lời".into();
        spoken.content = "Đường hỏng".into();
        spoken.answer = "Sẽ sửa".into();
        let mut secret = Opinion::new(d.id, 2);
        secret.kind = OpinionKind::Denunciation;
        secret.speaker_name = "Bà Tố Cáo".into();
        secret.content = "Ông X nhận hối lộ".into();
        let item = Item::from_events(&[Event::Assigned {
            agency: AgencyId::new(),
            on: "2026-03-02".parse().unwrap(),
            due: "2026-04-01".parse().unwrap(),
        }])
        .unwrap();
        let events = [Event::Replied {
            number: "1".into(),
            on: "2026-03-10".parse().unwrap(),
            summary: "Đã xác minh".into(),
        }];
        let facts = FollowUpFacts {
            item: &item,
            agency: "Thanh tra",
            events: &events,
        };
        let public = PublicDialogue::of(
            &d,
            "Phường Hoàn Kiếm",
            [(&spoken, None), (&secret, Some(facts))],
        );
        let text = serde_json::to_string(&public).unwrap();
        for private in [
            "Nguyễn Chủ Tọa",
            "Lò Thư Ký",
            "Hà Mặt Trận",
            "Ông Công Dân",
            "Ngõ Riêng",
            "001122334455",
            "Cán Bộ Trả Lời",
            "Bà Tố Cáo",
            "hối lộ",
            "Đã xác minh",
        ] {
            assert!(!text.contains(private), "{private} in {text}");
        }
        assert!(text.contains("Đường hỏng") && text.contains("Sẽ sửa"));
        assert_eq!(public.opinions[1].kind, OpinionKind::Denunciation);
        assert_eq!(
            public.opinions[1].follow_up.as_ref().unwrap().agency,
            "Thanh tra"
        );
    }
}
