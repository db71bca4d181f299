//! Two server instances on one database, as a province deploys them behind
//! a load balancer: pushes through both at once are stored exactly once, and
//! a device reading from both in turn, while the pushes go on, receives every
//! record exactly once with no gap in its version cursor.

mod common;

use common::*;
use shared::sync::{Entity, PullResponse, PushResponse};
use shared::DeviceId;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const DEVICES: usize = 4;
const BATCHES: usize = 12;
const PER_BATCH: usize = 5;

async fn pushes_through_two_instances_reach_a_reader_exactly_once(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let second = app.another_instance().await;
    let instances = [app.addr.clone(), second];
    app.user("thuky", "secretary", HOAN_KIEM).await;
    app.user("doc", "secretary", HOAN_KIEM).await;

    let d = dialogue(HOAN_KIEM);
    let writer = signed_in(&app.addr, "thuky").await;
    app.push(
        &writer,
        &batch(DeviceId::new(), 1, vec![Entity::Dialogue(d.clone())]),
    )
    .await
    .error_for_status()
    .unwrap();

    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (instances, done) = (instances.clone(), done.clone());
        let client = signed_in(&instances[1], "doc").await;
        tokio::spawn(async move { read_until_done(&client, &instances, &done).await })
    };
    let mut writers = Vec::new();
    for w in 0..DEVICES {
        let (instances, d, client) = (instances.clone(), d.clone(), writer.clone());
        writers.push(tokio::spawn(async move {
            let device = DeviceId::new();
            for b in 0..BATCHES {
                let opinions = (0..PER_BATCH)
                    .map(|i| {
                        Entity::Opinion(opinion(
                            &d,
                            (w * 1000 + b * PER_BATCH + i) as i64,
                            "Đề nghị sửa đường",
                        ))
                    })
                    .collect();
                let sent = batch(device, (b * PER_BATCH + 1) as u64, opinions);
                // The same batch to both instances at once, as a retry that
                // crossed the first attempt would send it.
                let (a, b2) = tokio::join!(
                    push_to(&client, &instances[b % 2], &sent),
                    push_to(&client, &instances[(b + 1) % 2], &sent)
                );
                assert!(a.is_some() || b2.is_some(), "one of the two stored it");
                for answer in [a, b2].into_iter().flatten() {
                    assert_eq!(answer.last_seq, ((b + 1) * PER_BATCH) as u64);
                    assert_eq!(
                        answer.verdicts.len(),
                        PER_BATCH,
                        "a verdict for each change"
                    );
                }
            }
        }));
    }
    for w in writers {
        w.await.unwrap();
    }
    done.store(true, Ordering::SeqCst);
    let received = reader.await.unwrap();

    let expected = 1 + DEVICES * BATCHES * PER_BATCH;
    assert_eq!(
        app.count("opinions").await as usize,
        expected - 1,
        "each opinion stored once"
    );
    assert_eq!(
        app.count("revisions").await as usize,
        expected,
        "each change kept once"
    );
    assert_eq!(received.len(), expected, "the reader got every record");
    assert!(
        received.values().all(|&times| times == 1),
        "and each exactly once: {received:?}"
    );
}

/// Pushes to one instance; None when it answered "being stored, retry"
/// because the other instance held the same batch at that moment.
async fn push_to(
    client: &reqwest::Client,
    base: &str,
    sent: &shared::sync::PushRequest,
) -> Option<PushResponse> {
    let response = client
        .post(format!("{base}/api/sync/push"))
        .json(sent)
        .send()
        .await
        .unwrap();
    if response.status() == reqwest::StatusCode::CONFLICT {
        assert_eq!(error_code(response).await.1, "retry");
        return None;
    }
    assert!(response.status().is_success(), "{}", response.status());
    Some(response.json().await.unwrap())
}

/// Pulls from the instances in turn until the writers are done and nothing
/// more exists; counts how often each record arrived.
async fn read_until_done(
    client: &reqwest::Client,
    instances: &[String],
    done: &AtomicBool,
) -> HashMap<String, usize> {
    let mut received: HashMap<String, usize> = HashMap::new();
    let (mut since, mut turn) = (0, 0);
    loop {
        // Read before the pull: a pull that started after the writers
        // finished and says nothing more exists has seen everything.
        let finished = done.load(Ordering::SeqCst);
        let page: PullResponse = get_json(
            client,
            &format!("{}/api/sync/pull?since={since}", instances[turn % 2]),
        )
        .await;
        turn += 1;
        assert!(page.cursor >= since, "the cursor never goes back");
        since = page.cursor;
        let ids = page
            .dialogues
            .iter()
            .map(|v| v.item.id.to_string())
            .chain(page.opinions.iter().map(|v| v.item.id.to_string()));
        for id in ids {
            *received.entry(id).or_default() += 1;
        }
        if finished && !page.has_more {
            return received;
        }
    }
}

on_both_engines!(pushes_through_two_instances_reach_a_reader_exactly_once);
