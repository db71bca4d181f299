//! The audit trail of access to protected identities (tố cáo), as the Law on
//! Denunciations requires. It stores ids, never the identity itself.

use shared::UserId;

use sqlx::AnyConnection;

use crate::auth::CurrentUser;
use crate::db::now_ms;

/// Records that `user` received the identities behind `opinion_ids`, on the
/// connection (or in the transaction) that read them.
pub async fn record_identity_access(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    action: &str,
    opinion_ids: &[String],
) -> Result<(), sqlx::Error> {
    for id in opinion_ids {
        sqlx::query(
            "INSERT INTO audit_log (id, at, user_id, action, target) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(UserId::new().to_string())
        .bind(now_ms())
        .bind(user.id.to_string())
        .bind(action)
        .bind(format!("opinion:{id}"))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
