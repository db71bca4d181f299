//! Starts the Doithoai server from environment variables (see config.rs);
//! `doithoai seed-demo` instead fills an empty database with demo data
//! (see demo.rs) and prints the demo users' passwords; `doithoai
//! render-samples DIR` writes every document from a demo of its own (see
//! samples.rs).

use server::{prepare, run, Config};
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let mut config = Config::from_env()?;
    let command = std::env::args().nth(1);
    let samples = match command.as_deref() {
        Some("render-samples") => {
            let dir = std::env::args()
                .nth(2)
                .ok_or("render-samples DIR: the folder to write the documents into")?;
            // The demo goes into a database of its own, never the real one.
            let db =
                std::env::temp_dir().join(format!("doithoai-samples-{}.db", std::process::id()));
            config.database_url = format!("sqlite:{}", db.display());
            Some((std::path::PathBuf::from(dir), db))
        }
        _ => None,
    };
    if let Some(dir) = config
        .database_url
        .strip_prefix("sqlite:")
        .and_then(|p| std::path::Path::new(p.trim_start_matches("//")).parent())
    {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)?;
        }
    }
    let addr = config.addr;
    let (state, first_password) = prepare(config).await?;
    if let (Some(password), None) = (first_password, &samples) {
        // Printed once, on the console of the first start only.
        eprintln!("\n  First start: log in as `admin` with password `{password}`.\n");
    }
    if let Some((dir, db)) = samples {
        let failed = |e: server::error::AppError| format!("render-samples: {e:?}");
        server::demo::seed(&state).await.map_err(failed)?;
        let made = server::samples::render(&state, &dir)
            .await
            .map_err(failed)?;
        state.pool.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        for path in made {
            println!("{}", path.display());
        }
        return Ok(());
    }
    match command.as_deref() {
        None => {}
        Some("seed-demo") => {
            let users = server::demo::seed(&state).await.map_err(|e| match e {
                server::error::AppError::Client { vi, en, .. } => format!("{vi}\n{en}"),
                other => format!("seed-demo: {other:?}"),
            })?;
            println!("Dữ liệu mẫu: tỉnh Phú Thọ và 8 xã, một năm đối thoại. Tài khoản (mật khẩu chỉ in lần này):");
            println!("Demo data: Phú Thọ and 8 communes, a year of dialogues. Accounts (passwords printed this once):");
            for u in users {
                println!(
                    "  {:<12} {:<10} {:<6} {}",
                    u.username,
                    u.role.as_str(),
                    u.unit,
                    u.password
                );
            }
            return Ok(());
        }
        Some(other) => {
            return Err(
                format!("unknown command `{other}`; known: seed-demo, render-samples DIR").into(),
            )
        }
    }
    let listener = TcpListener::bind(addr).await?;
    tracing::info!("listening on http://{addr}");
    run(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
