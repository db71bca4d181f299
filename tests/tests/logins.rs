//! Login limits, by client address and user name together, kept in the
//! database: an attacker slows down without locking the owner out, one
//! client spraying many user names is slowed, and every instance counts the
//! same failures.

mod common;

use common::*;
use reqwest::StatusCode;
use server::rate_limit::{MAX_CLIENT_FAILURES, MAX_FAILURES};

async fn an_attacker_elsewhere_cannot_lock_the_owner_out(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.user("thuky", "secretary", HOAN_KIEM).await;
    let attacker = client_from(2);
    for _ in 0..MAX_FAILURES {
        let guess = login(&attacker, &app.addr, "thuky", "doan-mo").await;
        assert_eq!(error_code(guess).await.0, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        error_code(login(&attacker, &app.addr, "thuky", PASSWORD).await).await,
        (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts".into()),
        "the guessing client waits, even with the right password"
    );
    let owner = client_from(3);
    let answer = login(&owner, &app.addr, "thuky", PASSWORD).await;
    assert_eq!(
        answer.status(),
        StatusCode::OK,
        "the owner, elsewhere, logs in"
    );
}

async fn one_client_trying_many_user_names_is_slowed(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.user("thuky", "secretary", HOAN_KIEM).await;
    let sprayer = client_from(4);
    for i in 0..MAX_CLIENT_FAILURES {
        let guess = login(&sprayer, &app.addr, &format!("nguoi-{i}"), "123456").await;
        assert_eq!(error_code(guess).await.0, StatusCode::UNAUTHORIZED, "{i}");
    }
    assert_eq!(
        error_code(login(&sprayer, &app.addr, "thuky", PASSWORD).await)
            .await
            .0,
        StatusCode::TOO_MANY_REQUESTS
    );
    let other = client_from(5);
    assert_eq!(
        login(&other, &app.addr, "thuky", PASSWORD).await.status(),
        StatusCode::OK
    );
}

async fn every_instance_counts_the_same_failures(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.user("thuky", "secretary", HOAN_KIEM).await;
    let second = app.another_instance().await;
    let attacker = client_from(6);
    for i in 0..MAX_FAILURES {
        // Alternating instances: each would allow five on its own.
        let base = if i % 2 == 0 { &app.addr } else { &second };
        let guess = login(&attacker, base, "thuky", "doan-mo").await;
        assert_eq!(error_code(guess).await.0, StatusCode::UNAUTHORIZED);
    }
    for base in [&app.addr, &second] {
        assert_eq!(
            error_code(login(&attacker, base, "thuky", PASSWORD).await)
                .await
                .0,
            StatusCode::TOO_MANY_REQUESTS,
            "{base}"
        );
    }
}

on_both_engines!(
    an_attacker_elsewhere_cannot_lock_the_owner_out,
    one_client_trying_many_user_names_is_slowed,
    every_instance_counts_the_same_failures,
);
