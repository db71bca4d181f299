//! The public results as a reader's phone and a scraper meet them: an
//! unchanged page answers `304` to a reader who has it, a new publication
//! changes its tag, a long history comes in pages each result shown once,
//! and a client reading too fast is slowed (429 in the JSON error shape,
//! with `Retry-After`) while other clients read on.

mod common;

use common::*;
use reqwest::header::{ETAG, IF_NONE_MATCH, LINK, RETRY_AFTER};
use reqwest::StatusCode;
use serde_json::{json, Value};
use server::rate_limit::PUBLIC_READS_BURST;
use server::routes::publication::PUBLIC_PAGE;

async fn a_reader_who_has_the_results_gets_304_until_they_change(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let reviewer = app.user("tonghop", "reviewer", HOAN_KIEM).await;
    let mut d = dialogue(HOAN_KIEM);
    d.planned_at = "2026-02-27T08:00".into();
    push_finalised(
        &app.addr,
        &secretary,
        &mut d,
        &[],
        hanoi_ms("2026-02-27", 8),
    )
    .await;
    let reader = client();
    let paths = [
        format!("/api/public/units/{HOAN_KIEM}"),
        format!("/public?unit={HOAN_KIEM}"),
    ];
    let mut tags = Vec::new();
    for path in &paths {
        let url = app.url(path);
        let first = reader.get(&url).send().await.unwrap();
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        let tag = first.headers()[ETAG].clone();
        let again = reader
            .get(&url)
            .header(IF_NONE_MATCH, tag.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert!(again.text().await.unwrap().is_empty());
        tags.push(tag);
    }
    let published = reviewer
        .post(app.url(&format!("/api/dialogues/{}/publication", d.id)))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(published.status(), StatusCode::CREATED);
    for (path, tag) in paths.iter().zip(tags) {
        let changed = reader
            .get(app.url(path))
            .header(IF_NONE_MATCH, tag.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(changed.status(), StatusCode::OK, "{path}: published since");
        assert_ne!(changed.headers()[ETAG], tag);
        assert!(changed.text().await.unwrap().contains(&d.topic), "{path}");
    }
}

async fn a_long_history_comes_in_pages_each_result_once(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let secretary = app.user("thuky", "secretary", HOAN_KIEM).await;
    let reviewer = app.user("tonghop", "reviewer", HOAN_KIEM).await;
    let count = PUBLIC_PAGE + 3;
    let mut topics = Vec::new();
    for n in 0..count {
        let mut d = dialogue(HOAN_KIEM);
        d.topic = format!("Đối thoại số {n}");
        d.planned_at = "2026-02-27T08:00".into();
        push_finalised(
            &app.addr,
            &secretary,
            &mut d,
            &[],
            hanoi_ms("2026-02-27", 8),
        )
        .await;
        // All published on the clock's same day: ties broken the same way.
        let published = reviewer
            .post(app.url(&format!("/api/dialogues/{}/publication", d.id)))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(published.status(), StatusCode::CREATED);
        topics.push(d.topic);
    }
    let reader = client();
    let mut seen = Vec::new();
    let mut url = app.url(&format!("/api/public/units/{HOAN_KIEM}"));
    loop {
        let page = reader.get(&url).send().await.unwrap();
        let next = page.headers().get(LINK).map(|l| {
            let l = l.to_str().unwrap();
            app.url(&l[1..l.find('>').unwrap()])
        });
        let results: Vec<Value> = page.json().await.unwrap();
        assert!(results.len() <= PUBLIC_PAGE);
        seen.extend(
            results
                .iter()
                .map(|r| r["topic"].as_str().unwrap().to_owned()),
        );
        match next {
            Some(n) => url = n,
            None => break,
        }
    }
    seen.sort();
    topics.sort();
    assert_eq!(seen, topics, "every result once, over two pages");

    let first = reader
        .get(app.url(&format!("/public?unit={HOAN_KIEM}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let older = first
        .split("href=\"")
        .find(|h| h.contains("before="))
        .map(|h| html_escape::decode_html_entities(&h[..h.find('"').unwrap()]).into_owned())
        .expect("a link to the older results");
    let second = reader
        .get(app.url(&older))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(second.matches("data-testid=\"public-dialogue\"").count(), 3);
    let bad = reader
        .get(app.url(&format!("/api/public/units/{HOAN_KIEM}?before=yesterday")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(bad).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "out_of_range".into())
    );
}

async fn a_client_reading_too_fast_is_slowed_and_others_read_on(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let scraper = client_from(7);
    let url = app.url(&format!("/api/public/units/{HOAN_KIEM}"));
    for i in 0..PUBLIC_READS_BURST {
        let read = scraper.get(&url).send().await.unwrap();
        assert_eq!(read.status(), StatusCode::OK, "read {i}");
    }
    let slowed = scraper.get(app.url("/public")).send().await.unwrap();
    let wait: u64 = slowed.headers()[RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let (status, code) = error_code(slowed).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::TOO_MANY_REQUESTS, "too_many_requests")
    );
    let reader = client_from(8);
    assert_eq!(
        reader.get(&url).send().await.unwrap().status(),
        StatusCode::OK
    );
    app.user("thuky", "secretary", HOAN_KIEM).await;
    let signed_in = login(&scraper, &app.addr, "thuky", PASSWORD).await;
    assert_eq!(signed_in.status(), StatusCode::OK);
    assert_eq!(
        scraper
            .get(app.url("/api/me"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK,
        "the limit is the public pages' only"
    );
}

on_both_engines!(
    a_reader_who_has_the_results_gets_304_until_they_change,
    a_long_history_comes_in_pages_each_result_once,
    a_client_reading_too_fast_is_slowed_and_others_read_on,
);
