//! Starting the server: two instances started together on one empty
//! central database (PostgreSQL, where several instances share a database;
//! the embedded SQLite file belongs to one process).

mod common;

use common::*;
use server::Config;
use sqlx::Row;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_starting_together_on_an_empty_database_make_one_administrator() {
    for _ in 0..3 {
        let url = fresh_database(Engine::Postgres).await;
        let config = Config::for_tests(&url, std::path::PathBuf::from("/nonexistent-site"));
        let (a, b) = tokio::join!(server::prepare(config.clone()), server::prepare(config));
        let (a, b) = (
            a.expect("first instance starts"),
            b.expect("second instance starts"),
        );
        let admins: i64 = sqlx::query("SELECT COUNT(*) AS n FROM users WHERE role = 'admin'")
            .fetch_one(&a.0.pool)
            .await
            .unwrap()
            .get("n");
        assert_eq!(admins, 1);
        drop(b);
    }
}
