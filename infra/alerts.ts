import { settings } from "./secrets.ts";

/**
 * Dead-letter alerts: the dead-letter subscriber publishes one message per photo that gave up; an
 * e-mail address set in `PHOTO_RELAY_ALERT_EMAIL` receives them (after confirming SNS's first mail).
 */
export const alerts = new aws.sns.Topic("DeadLetterAlerts");

if (settings.alertEmail)
  new aws.sns.TopicSubscription("DeadLetterAlertsEmail", {
    topic: alerts.arn,
    protocol: "email",
    endpoint: settings.alertEmail,
  });

export const alertsLink = new sst.Linkable("Alerts", { properties: { arn: alerts.arn } });
