//! A province of about 100 communes with a year of data per commune, for
//! the benches that read a province (results, documents): dialogues,
//! opinions, notices, items with replies on time and late, publications,
//! plan entries, written straight into the tables.

use chrono::{Datelike, Days, NaiveDate};
use shared::follow_up::{Event, Item};
use shared::public::{FollowUpFacts, PublicDialogue};
use shared::{AgencyId, DialogueKind, OpinionKind};
use std::time::{Duration, Instant};

use crate::common::*;

/// Opinions per dialogue: three followed up, the fifth a denunciation.
pub const OPINIONS: usize = 5;
pub struct Province {
    pub code: String,
    pub communes: Vec<(String, String)>,
}

/// The province whose commune count is nearest to 100.
pub async fn province_of_about_100(app: &TestApp) -> Province {
    let counts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT parent_code, COUNT(*) FROM units WHERE parent_code IS NOT NULL GROUP BY parent_code",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let (code, _) = counts
        .into_iter()
        .min_by_key(|(_, n)| (n - 100).abs())
        .unwrap();
    let communes =
        sqlx::query_as("SELECT code, name FROM units WHERE parent_code = $1 ORDER BY code")
            .bind(&code)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    Province { code, communes }
}

fn day_ms(day: NaiveDate) -> i64 {
    day.and_hms_opt(5, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis()
}

pub async fn fill(app: &TestApp, p: &Province, per_commune: usize) -> Duration {
    let started = Instant::now();
    app.user("thuky", "secretary", &p.communes[0].0).await;
    let (recorder,): (String,) = sqlx::query_as("SELECT id FROM users WHERE username = 'thuky'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let mut rng = Rng(0x2E5_0175);
    let year_start: NaiveDate = "2026-01-05".parse().unwrap();
    let agency_of: Vec<(String, String)> = p
        .communes
        .iter()
        .map(|(_, name)| (AgencyId::new().to_string(), format!("Công an {name}")))
        .collect();
    insert_rows(
        &app.pool,
        "INSERT INTO agencies (id, unit_code, name, name_folded, created_at)",
        5,
        0..agency_of.len(),
        |i, q| {
            q.bind(agency_of[i].0.clone())
                .bind(p.communes[i].0.clone())
                .bind(agency_of[i].1.clone())
                .bind(shared::text::fold(&agency_of[i].1))
                .bind(0_i64)
        },
    )
    .await;
    for (c, (commune, commune_name)) in p.communes.iter().enumerate() {
        let mut dialogues = Vec::new();
        let mut opinions = Vec::new();
        let mut notices = Vec::new();
        let mut items = Vec::new();
        let mut publications = Vec::new();
        let mut plans = Vec::new();
        // The first commune is the busiest: more than a page of results.
        let held_here = if c == 0 { per_commune * 3 } else { per_commune };
        for k in 0..held_here {
            let held = year_start + Days::new((k * 350 / held_here) as u64 + rng.next(5) as u64);
            let mut d = dialogue(commune);
            d.kind = if k < 2 {
                DialogueKind::Periodic
            } else {
                DialogueKind::AdHoc
            };
            d.topic = format!("Đối thoại {} về {}", k + 1, words(&mut rng, 40).trim());
            d.planned_at = format!("{held}T08:00");
            d.citizens_attending = 40 + rng.next(100) as u32;
            d.conclusion = words(&mut rng, 300);
            d.finalise("Lò Thị Mai", "Nguyễn Văn Đức", day_ms(held))
                .unwrap();
            let os: Vec<shared::Opinion> = (0..OPINIONS)
                .map(|n| {
                    let mut o = opinion(&d, n as i64 + 1, &words(&mut rng, 200));
                    o.kind = if n == 4 {
                        OpinionKind::Denunciation
                    } else {
                        OpinionKind::Proposal
                    };
                    o.answer = words(&mut rng, 120);
                    o.needs_follow_up = n < 3;
                    o
                })
                .collect();
            let issued = (rng.next(10) < 9).then(|| held + Days::new(3 + rng.next(12) as u64));
            let mut lives = Vec::new();
            if let Some(on) = issued {
                notices.push((d.id.to_string(), on));
                for o in os.iter().take(3) {
                    let due = on + Days::new(30);
                    let mut events = vec![Event::Assigned {
                        agency: AgencyId::parse(&agency_of[c].0).unwrap(),
                        on,
                        due,
                    }];
                    if rng.next(10) < 7 {
                        let replied = due + Days::new(rng.next(20) as u64) - Days::new(10);
                        events.push(Event::Replied {
                            number: "12/CA".into(),
                            on: replied,
                            summary: words(&mut rng, 150),
                        });
                    }
                    let item = Item::from_events(&events).unwrap();
                    items.push((o.id.to_string(), d.id.to_string(), item.clone(), on));
                    lives.push((o.id, item, events));
                }
            }
            if rng.next(10) < 8 {
                let snapshot =
                    PublicDialogue::of(
                        &d,
                        commune_name,
                        os.iter().map(|o| {
                            let facts = lives.iter().find(|(id, _, _)| *id == o.id).map(
                                |(_, item, events)| FollowUpFacts {
                                    item,
                                    agency: &agency_of[c].1,
                                    events,
                                },
                            );
                            (o, facts)
                        }),
                    );
                let at = day_ms(held + Days::new(2 + rng.next(14) as u64));
                publications.push((
                    d.id.to_string(),
                    serde_json::to_string(&snapshot).unwrap(),
                    at,
                ));
            }
            if k < 2 {
                let announced = held - Days::new(3 + rng.next(8) as u64);
                plans.push((d.id.to_string(), held.month(), announced));
            }
            opinions.extend(os);
            dialogues.push(d);
        }
        insert_dialogue_rows(
            &app.pool,
            &dialogues,
            &recorder,
            (c * per_commune * 3 + 1) as i64,
            Some("finalised"),
            |_| String::new(),
        )
        .await;
        insert_rows(
            &app.pool,
            "INSERT INTO opinions (id, dialogue_id, data, search_text, version, conflict, last_device, updated_at, deleted, created_by, protected)",
            11,
            0..opinions.len(),
            |j, q| {
                let o = &opinions[j];
                q.bind(o.id.to_string())
                    .bind(o.dialogue_id.to_string())
                    .bind(serde_json::to_string(o).unwrap())
                    .bind(String::new())
                    .bind((10_000_000 + c * per_commune * 3 * OPINIONS + j) as i64)
                    .bind(0_i64)
                    .bind("bench")
                    .bind(0_i64)
                    .bind(0_i64)
                    .bind(recorder.clone())
                    .bind(i64::from(o.kind == OpinionKind::Denunciation))
            },
        )
        .await;
        insert_rows(
            &app.pool,
            "INSERT INTO conclusion_notices (dialogue_id, number, issued_on, conclusion, issued_by, issued_at)",
            6,
            0..notices.len(),
            |j, q| {
                q.bind(notices[j].0.clone())
                    .bind("1/TB-UBND")
                    .bind(notices[j].1.to_string())
                    .bind("Kết luận")
                    .bind(recorder.clone())
                    .bind(0_i64)
            },
        )
        .await;
        insert_rows(
            &app.pool,
            "INSERT INTO follow_items (opinion_id, dialogue_id, unit_code, province_code, kind, field, instructions, stage, agency_id, assigned_on, first_due, due, replied_on, forwarded, revision, updated_at)",
            16,
            0..items.len(),
            |j, q| {
                let (opinion_id, dialogue_id, item, on) = &items[j];
                q.bind(opinion_id.clone())
                    .bind(dialogue_id.clone())
                    .bind(commune.clone())
                    .bind(p.code.clone())
                    .bind("proposal")
                    .bind("land")
                    .bind(String::new())
                    .bind(shared::text::tag(&item.stage))
                    .bind(agency_of[c].0.clone())
                    .bind(on.to_string())
                    .bind(item.first_due.unwrap().to_string())
                    .bind(item.due.unwrap().to_string())
                    .bind(item.replied_on.map(|d| d.to_string()))
                    .bind(0_i64)
                    .bind(1_i64)
                    .bind(0_i64)
            },
        )
        .await;
        insert_rows(
            &app.pool,
            "INSERT INTO publications (dialogue_id, revision, unit_code, snapshot, published_by, published_at)",
            6,
            0..publications.len(),
            |j, q| {
                let (id, snapshot, at) = &publications[j];
                q.bind(id.clone())
                    .bind(1_i64)
                    .bind(commune.clone())
                    .bind(snapshot.clone())
                    .bind(recorder.clone())
                    .bind(*at)
            },
        )
        .await;
        insert_rows(
            &app.pool,
            "INSERT INTO plan_entries (dialogue_id, unit_code, year, month, created_by, created_at, announced_on, announced_means)",
            8,
            0..plans.len(),
            |j, q| {
                let (id, month, announced) = &plans[j];
                q.bind(id.clone())
                    .bind(commune.clone())
                    .bind(2026_i64)
                    .bind(i64::from(*month))
                    .bind(recorder.clone())
                    .bind(0_i64)
                    .bind(announced.to_string())
                    .bind("[\"notice_board\"]")
            },
        )
        .await;
    }
    if app.database_url.starts_with("postgres") {
        sqlx::query("VACUUM ANALYZE")
            .execute(&app.pool)
            .await
            .unwrap();
    }
    settle_synced_rows(&app.pool).await;
    started.elapsed()
}
