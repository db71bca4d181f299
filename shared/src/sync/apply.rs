//! The server's rule for a push, without I/O: how a batch meets what the
//! server already holds of the device ([`plan_push`]), what happens to one
//! change given what is stored ([`decide`]), and the verdict the device is
//! told ([`verdict`]). The server loads the facts inside its transaction,
//! calls these, and stores what they say; the simulation calls the same.

use super::{
    Change, Entity, Outcome, PushError, PushRequest, Verdict, Versioned, MAX_BATCH_CHANGES,
};
use crate::dialogue::Dialogue;
use crate::error::{DomainError, ErrorDetail};
use crate::ids::{DeviceId, UnitCode, UserId};
use crate::user::{sees_identity, Role};

/// How a batch meets what the server holds of its device.
#[derive(Debug, PartialEq, Eq)]
pub struct PushPlan<'a> {
    /// Changes stored by an earlier push (a replay, or a retry after a lost
    /// answer): their verdicts are read back from the kept revisions.
    pub stored: &'a [Change],
    /// Changes to decide now, in order.
    pub fresh: &'a [Change],
}

/// Splits a batch into what the server holds already and what is new, given
/// the device's last stored sequence number. A batch that is too big, not
/// contiguous, or leaves a gap after `last_seq` is refused whole.
pub fn plan_push(last_seq: u64, req: &PushRequest) -> Result<PushPlan<'_>, PushError> {
    let changes = &req.changes;
    if changes.len() > MAX_BATCH_CHANGES {
        return Err(PushError::TooManyChanges);
    }
    let contiguous = changes.windows(2).all(|w| w[1].seq == w[0].seq + 1);
    if !contiguous || changes.first().is_some_and(|c| c.seq == 0) {
        return Err(PushError::BadSequence);
    }
    let split = changes.partition_point(|c| c.seq <= last_seq);
    let (stored, fresh) = changes.split_at(split);
    match fresh.first() {
        Some(first) if first.seq != last_seq + 1 => Err(PushError::Gap {
            first: first.seq,
            last_seq,
        }),
        _ => Ok(PushPlan { stored, fresh }),
    }
}

/// A record as the server holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRecord {
    pub version: i64,
    pub conflict: bool,
    /// The device whose change it is now.
    pub last_device: DeviceId,
    /// Who first recorded it.
    pub recorded_by: Option<UserId>,
    /// An opinion that is or ever was a denunciation (tố cáo).
    pub protected: bool,
    pub entity: Entity,
}

impl StoredRecord {
    /// Whether `viewer` gets a denouncer's identity with this record: an
    /// access the server must audit.
    pub fn shows_identity_to(&self, viewer: &UserId, role: Role) -> bool {
        matches!(&self.entity, Entity::Opinion(o) if self.protected || o.is_denunciation())
            && sees_identity(viewer, role, self.recorded_by.as_ref())
    }

    /// The record as `viewer` may see it: a protected identity is replaced
    /// by its label for everyone but those who may see it.
    pub fn as_seen_by(&self, viewer: &UserId, role: Role) -> Versioned<Entity> {
        let entity = match &self.entity {
            Entity::Opinion(o) => Entity::Opinion(o.clone().as_seen(
                self.protected,
                sees_identity(viewer, role, self.recorded_by.as_ref()),
            )),
            dialogue => dialogue.clone(),
        };
        Versioned {
            version: self.version,
            conflict: self.conflict,
            item: entity,
        }
    }
}

/// Whether a unit is known, and in the pushing user's scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    InScope,
    OutOfScope,
    Unknown,
}

/// What the server knows when it decides one change.
pub struct Facts<'a> {
    pub user: &'a UserId,
    pub role: Role,
    pub device: DeviceId,
    pub change: &'a Change,
    /// The same record as stored now, if it is.
    pub stored: Option<&'a StoredRecord>,
    /// For an opinion: its dialogue as stored now (earlier changes of the
    /// same batch included), if it is.
    pub dialogue: Option<&'a Dialogue>,
    /// Scope of a unit; asked only for [`Facts::units`].
    pub access: &'a dyn Fn(&UnitCode) -> Access,
}

impl Facts<'_> {
    /// The units [`decide`] may ask about, for the caller to look up first.
    pub fn units(
        change: &Change,
        stored: Option<&StoredRecord>,
        dialogue: Option<&Dialogue>,
    ) -> Vec<UnitCode> {
        let unit_of = |e: &Entity| match e {
            Entity::Dialogue(d) => Some(d.unit_code.clone()),
            Entity::Opinion(_) => None,
        };
        [
            unit_of(&change.entity),
            stored.and_then(|s| unit_of(&s.entity)),
            dialogue.map(|d| d.unit_code.clone()),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// What to do with one change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Apply(Box<Applied>),
    /// Kept as a refused revision; the record does not change.
    Refuse(DomainError),
}

/// A change to store, as it is to be stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// What is stored: the change's record, with a protected identity kept
    /// from the stored record when the device was never shown it.
    pub entity: Entity,
    pub concurrent: bool,
    pub protected: bool,
    pub recorded_by: UserId,
}

impl Applied {
    pub fn outcome(&self) -> Outcome {
        if self.concurrent {
            Outcome::Concurrent
        } else {
            Outcome::Applied
        }
    }
}

/// The server's decision on one change. Refusals, in the order checked:
/// invalid fields; a unit unknown or out of the user's scope (for a moved
/// dialogue, the unit it came from too); an opinion whose dialogue is not
/// stored or that moves to another dialogue; finalised minutes.
pub fn decide(f: &Facts) -> Decision {
    match decide_inner(f) {
        Ok(applied) => Decision::Apply(Box::new(applied)),
        Err(e) => Decision::Refuse(e),
    }
}

fn decide_inner(f: &Facts) -> Result<Applied, DomainError> {
    f.change.entity.validate()?;
    let scope = |unit: &UnitCode| match (f.access)(unit) {
        Access::InScope => Ok(()),
        Access::OutOfScope => Err(DomainError::OutOfScope),
        Access::Unknown => Err(DomainError::InvalidUnitCode),
    };
    let stored_entity = f.stored.map(|s| &s.entity);
    let mut entity = f.change.entity.clone();
    match &mut entity {
        Entity::Dialogue(d) => {
            scope(&d.unit_code)?;
            if let Some(Entity::Dialogue(old)) = stored_entity {
                // Moving a dialogue must not take it out of the scope it came from.
                scope(&old.unit_code)?;
                old.ensure_editable()?;
            }
        }
        Entity::Opinion(o) => {
            let dialogue = f.dialogue.ok_or(DomainError::UnknownDialogue)?;
            scope(&dialogue.unit_code)?;
            if let Some(Entity::Opinion(old)) = stored_entity {
                if old.dialogue_id != o.dialogue_id {
                    return Err(DomainError::WrongDialogue);
                }
                let stored = f.stored.expect("matched above");
                if stored.protected && !sees_identity(f.user, f.role, stored.recorded_by.as_ref()) {
                    o.keep_identity_of(old);
                }
            }
            dialogue.ensure_editable()?;
        }
    }
    let protected = match &entity {
        Entity::Opinion(o) => o.is_denunciation() || f.stored.is_some_and(|s| s.protected),
        Entity::Dialogue(_) => false,
    };
    Ok(Applied {
        entity,
        concurrent: f
            .stored
            .is_some_and(|s| s.version != f.change.base_version && s.last_device != f.device),
        protected,
        recorded_by: f.stored.and_then(|s| s.recorded_by).unwrap_or(*f.user),
    })
}

/// The verdict the device is told. `current` is the record as the server
/// holds it now, as the pushing user may see it: sent on every refusal,
/// otherwise only when it differs from what the change carried.
pub fn verdict(
    change: &Change,
    outcome: Outcome,
    reason: Option<ErrorDetail>,
    current: Option<Versioned<Entity>>,
) -> Verdict {
    let current = current.filter(|c| outcome == Outcome::Refused || c.item != change.entity);
    Verdict {
        seq: change.seq,
        outcome,
        reason,
        current,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Opinion, OpinionKind};

    fn unit() -> UnitCode {
        UnitCode::parse("00070").unwrap()
    }

    fn change(seq: u64, entity: Entity) -> Change {
        Change {
            seq,
            base_version: 0,
            client_time: 0,
            entity,
        }
    }

    fn in_scope(_: &UnitCode) -> Access {
        Access::InScope
    }

    /// What the server knows when a secretary in scope pushes `change`.
    fn secretary<'a>(
        user: &'a UserId,
        change: &'a Change,
        stored: Option<&'a StoredRecord>,
        dialogue: Option<&'a Dialogue>,
    ) -> Facts<'a> {
        Facts {
            user,
            role: Role::Secretary,
            device: DeviceId::new(),
            change,
            stored,
            dialogue,
            access: &in_scope,
        }
    }

    #[test]
    fn a_batch_splits_into_what_is_stored_and_what_is_new() {
        let d = Dialogue::new(unit());
        let req = PushRequest {
            device_id: DeviceId::new(),
            changes: (3..=6)
                .map(|s| change(s, Entity::Dialogue(d.clone())))
                .collect(),
        };
        let plan = plan_push(4, &req).unwrap();
        assert_eq!(plan.stored.len(), 2);
        assert_eq!(plan.fresh[0].seq, 5);
        assert_eq!(plan_push(9, &req).unwrap().fresh.len(), 0, "a replay");
        assert_eq!(
            plan_push(1, &req),
            Err(PushError::Gap {
                first: 3,
                last_seq: 1
            })
        );
    }

    #[test]
    fn one_invalid_change_is_refused_alone() {
        let user = UserId::new();
        let mut d = Dialogue::new(unit());
        d.topic = "đường\0liên thôn".into();
        let c = change(1, Entity::Dialogue(d));
        let facts = secretary(&user, &c, None, None);
        assert_eq!(
            decide(&facts),
            Decision::Refuse(DomainError::ControlCharacter { field: "topic" })
        );
    }

    #[test]
    fn a_device_never_writes_the_protected_label_over_the_real_identity() {
        let (recorder, other) = (UserId::new(), UserId::new());
        let d = Dialogue::new(unit());
        let mut o = Opinion::new(d.id, 1);
        o.kind = OpinionKind::Denunciation;
        o.speaker_name = "Trần Thị Quyên".into();
        let stored = StoredRecord {
            version: 3,
            conflict: false,
            last_device: DeviceId::new(),
            recorded_by: Some(recorder),
            protected: true,
            entity: Entity::Opinion(o.clone()),
        };
        // The other secretary was shown the label and edits the content.
        let Entity::Opinion(mut seen) = stored.as_seen_by(&other, Role::Secretary).item else {
            unreachable!()
        };
        assert_eq!(seen.speaker_name, crate::opinion::PROTECTED_NAME);
        seen.content = "bổ sung nội dung".into();
        seen.kind = OpinionKind::Proposal;
        let c = change(1, Entity::Opinion(seen));
        let facts = secretary(&other, &c, Some(&stored), Some(&d));
        let Decision::Apply(applied) = decide(&facts) else {
            panic!("applied")
        };
        let Entity::Opinion(kept) = &applied.entity else {
            unreachable!()
        };
        assert_eq!(kept.speaker_name, "Trần Thị Quyên");
        assert_eq!(kept.content, "bổ sung nội dung");
        assert!(applied.protected, "once a denunciation, always protected");
        assert_eq!(applied.recorded_by, recorder);
    }

    #[test]
    fn finalised_minutes_refuse_opinions_and_the_verdict_carries_the_server_record() {
        let user = UserId::new();
        let mut d = Dialogue::new(unit());
        d.topic = "Chủ đề".into();
        d.finalise("Thư ký", "Chủ tọa", 1).unwrap();
        let o = Opinion::new(d.id, 1);
        let c = change(7, Entity::Opinion(o));
        let facts = secretary(&user, &c, None, Some(&d));
        assert_eq!(decide(&facts), Decision::Refuse(DomainError::Locked));
        let v = verdict(
            &c,
            Outcome::Refused,
            Some(ErrorDetail::of(&DomainError::Locked)),
            None,
        );
        assert_eq!(
            (v.seq, v.current),
            (7, None),
            "the server has no such opinion"
        );
        let same = Versioned {
            version: 9,
            conflict: false,
            item: c.entity.clone(),
        };
        assert!(verdict(&c, Outcome::Applied, None, Some(same.clone()))
            .current
            .is_none());
        assert!(verdict(&c, Outcome::Refused, None, Some(same))
            .current
            .is_some());
    }
}
