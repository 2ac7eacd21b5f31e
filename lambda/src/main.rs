//! `bootstrap`: the Lambda function's executable (AWS's `provided.al2023` runtime runs `bootstrap` from the
//! root of the zip). Settings are read once per cold start; each invocation converts the records of one S3
//! event. A bad configuration fails the cold start with the variable named in the function's log.

use aws_lambda_events::event::s3::S3Event;
use lambda_runtime::{LambdaEvent, service_fn};
use tessella_lambda::{Settings, handle_checked};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda_runtime::tracing::init_default_subscriber();
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            tracing::error!("tessella-lambda: {e}");
            return Err(e.into());
        }
    };
    tracing::info!(
        destination = settings.destination.url,
        format = %settings.recipe.format,
        tile = settings.recipe.tile_size,
        quality = settings.recipe.jpeg_quality,
        key = settings.key_template,
        "ready"
    );
    let settings = &settings;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<S3Event>| async move {
        handle_checked(&event.payload, settings).await.map_err(lambda_runtime::Error::from)
    }))
    .await
}
