//! The review list at scale: pages by a cursor, searched through each
//! engine's trigram index, and the index follows every edit.

mod common;

use common::*;
use reqwest::StatusCode;
use shared::review::{DialoguePage, DialogueSummary};
use shared::sync::Entity;
use shared::DeviceId;
use std::collections::HashSet;

/// Every page of the list for a query string (`q=…&kind=…`), in order.
async fn every_page(app: &TestApp, client: &reqwest::Client, query: &str) -> Vec<DialoguePage> {
    let mut pages = Vec::new();
    let mut after = String::new();
    loop {
        let response = client
            .get(app.url(&format!("/api/dialogues?{query}")))
            .query(&[("after", &after)])
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body = response.text().await.unwrap();
        assert!(status.is_success(), "{query}: {status} {body}");
        let page: DialoguePage = serde_json::from_str(&body).unwrap();
        let next = page.next.clone();
        pages.push(page);
        match next {
            Some(n) => after = n,
            None => return pages,
        }
    }
}

async fn the_list_pages_through_every_dialogue_once_latest_first(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let reviewer = app.user("tonghop", "reviewer", HANOI).await;
    // 120 dialogues on 40 days: three share each date, so the id breaks ties.
    let dialogues: Vec<Entity> = (0..120)
        .map(|i| {
            let mut d = dialogue(HOAN_KIEM);
            d.planned_at = format!("2026-{:02}-{:02}T08:00", 1 + i % 10, 1 + i % 4);
            Entity::Dialogue(d)
        })
        .collect();
    app.push(&secretary, &batch(DeviceId::new(), 1, dialogues))
        .await
        .error_for_status()
        .unwrap();

    let pages = every_page(&app, &reviewer, "").await;
    let sizes: Vec<usize> = pages.iter().map(|p| p.items.len()).collect();
    assert_eq!(sizes, [50, 50, 20]);
    let all: Vec<&DialogueSummary> = pages.iter().flat_map(|p| &p.items).collect();
    let ids: HashSet<&str> = all.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids.len(), 120, "every dialogue once");
    assert!(
        all.windows(2)
            .all(|w| (&w[1].planned_at, &w[0].id) <= (&w[0].planned_at, &w[1].id)),
        "latest planned first, ties by id"
    );

    let bad = reviewer
        .get(app.url("/api/dialogues?after=2026-01-01T08:00%7Cnot-an-id"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(bad).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "out_of_range".into())
    );
}

async fn search_finds_substrings_and_follows_every_edit(engine: Engine) {
    for common_above in [server::search::COMMON, 0] {
        // The second time every query counts as common: the other plan.
        let app = TestApp::spawn_with(engine, |c| c.search_common_above = common_above).await;
        search_finds(&app).await;
    }
}

async fn search_finds(app: &TestApp) {
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let reviewer = app.user("tonghop", "reviewer", HANOI).await;
    let device = DeviceId::new();
    let roads = dialogue(HOAN_KIEM);
    let mut water = dialogue(HOAN_KIEM);
    water.topic = "Đối thoại về nước sạch".into();
    water.venue = "Hội trường UBND".into();
    let mut opinion = opinion(
        &water,
        1,
        "Giếng khoan nhiễm phèn, đề nghị hỗ trợ 100% kinh phí",
    );
    app.push(
        &secretary,
        &batch(
            device,
            1,
            vec![
                Entity::Dialogue(roads.clone()),
                Entity::Dialogue(water.clone()),
                Entity::Opinion(opinion.clone()),
            ],
        ),
    )
    .await
    .error_for_status()
    .unwrap();
    let topics = |q: &'static str| {
        let (app, reviewer) = (app, &reviewer);
        async move {
            let pages = every_page(app, reviewer, &format!("q={q}")).await;
            let mut topics: Vec<String> = pages
                .into_iter()
                .flat_map(|p| p.items)
                .map(|s| s.topic)
                .collect();
            topics.sort();
            topics
        }
    };
    assert_eq!(
        topics("PHEN").await,
        [water.topic.as_str()],
        "an opinion's word"
    );
    assert_eq!(
        topics("lien%20thon").await,
        [roads.topic.as_str()],
        "a dialogue's words"
    );
    assert_eq!(
        topics("100%25").await,
        [water.topic.as_str()],
        "% is a character"
    );
    assert_eq!(
        topics("%22nuoc%22").await,
        Vec::<String>::new(),
        "quotes are characters"
    );
    assert_eq!(topics("ve").await.len(), 2, "two letters still find");

    opinion.content = "Đề nghị kiểm tra chất lượng nước máy".into();
    app.push(
        &secretary,
        &batch(device, 4, vec![Entity::Opinion(opinion)]),
    )
    .await
    .error_for_status()
    .unwrap();
    assert!(topics("phen").await.is_empty(), "the old text is gone");
    assert_eq!(
        topics("nuoc may").await,
        [water.topic.as_str()],
        "the new one found"
    );
}

/// Pushed text is indexed after the push: a task catches up within a
/// second or two without any search, a search catches up first, and the
/// index keeps one entry per record however often it was edited.
async fn the_search_index_catches_up_after_pushes_and_keeps_one_entry_per_record(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let server_engine = server::db::Engine::of(&app.pool.acquire().await.unwrap());
    let expected = match engine {
        Engine::Sqlite => server::db::Engine::Sqlite,
        Engine::Postgres => server::db::Engine::Postgres,
    };
    assert_eq!(server_engine, expected, "the engine read off a connection");
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let reviewer = app.user("tonghop", "reviewer", HANOI).await;
    let device = DeviceId::new();
    let d = dialogue(HOAN_KIEM);
    let mut o = opinion(&d, 1, "Giếng khoan nhiễm phèn");
    let mut seq = 1;
    let mut push = |entities: Vec<Entity>| {
        let b = batch(device, seq, entities);
        seq += b.changes.len() as u64;
        b
    };
    let first = push(vec![
        Entity::Dialogue(d.clone()),
        Entity::Opinion(o.clone()),
    ]);
    app.push(&secretary, &first)
        .await
        .error_for_status()
        .unwrap();
    // Edited twice before anything searched: the first two texts may never
    // have been indexed.
    for text in ["Giếng khoan nhiễm mặn", "Đề nghị kiểm tra nước máy"] {
        o.content = text.into();
        let edit = push(vec![Entity::Opinion(o.clone())]);
        app.push(&secretary, &edit)
            .await
            .error_for_status()
            .unwrap();
    }
    let behind = || async {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT (SELECT version FROM sync_clock WHERE id = 1) - version FROM search_indexed",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        n
    };
    let waited = std::time::Instant::now();
    while behind().await > 0 {
        assert!(
            waited.elapsed() < std::time::Duration::from_secs(5),
            "the background catch-up never ran"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let found = |q: &'static str| {
        let (app, reviewer) = (&app, &reviewer);
        async move {
            every_page(app, reviewer, &format!("q={q}"))
                .await
                .iter()
                .map(|p| p.items.len())
                .sum::<usize>()
        }
    };
    assert_eq!(found("nuoc%20may").await, 1);
    assert_eq!(found("nhiem%20phen").await, 0, "never the first text");
    assert_eq!(found("nhiem%20man").await, 0, "nor the second");
    // Indexed now; one more edit leaves a stale entry for the next catch-up.
    o.content = "Đề nghị sửa cống thoát nước".into();
    let edit = push(vec![Entity::Opinion(o.clone())]);
    app.push(&secretary, &edit)
        .await
        .error_for_status()
        .unwrap();
    assert_eq!(found("nuoc%20may").await, 0, "the indexed text is gone");
    assert_eq!(found("cong%20thoat").await, 1);
    let (entries,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM opinions_search")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(entries, 1, "one entry for the one opinion");
}

on_both_engines!(
    the_list_pages_through_every_dialogue_once_latest_first,
    search_finds_substrings_and_follows_every_edit,
    the_search_index_catches_up_after_pushes_and_keeps_one_entry_per_record,
);
