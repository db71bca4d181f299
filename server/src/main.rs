//! Starts the Doithoai server from environment variables (see config.rs).

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
    let config = Config::from_env()?;
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
    if let Some(password) = first_password {
        // Printed once, on the console of the first start only.
        eprintln!("\n  First start: log in as `admin` with password `{password}`.\n");
    }
    let listener = TcpListener::bind(addr).await?;
    tracing::info!("listening on http://{addr}");
    run(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
