import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * The custom metrics the publish function emits through Powertools (Embedded Metric Format):
 * namespace from POWERTOOLS_METRICS_NAMESPACE, dimension `service` from POWERTOOLS_SERVICE_NAME,
 * names as declared by the function (`METRIC` in lambdas/shared/metrics.ts).
 */
export const PUBLISHER_METRICS = {
  namespace: 'FeedPublisher',
  service: 'feed-publisher',
  articlesPublished: 'ArticlesPublished',
  articlesRejected: 'ArticlesRejected',
  articlesQuarantined: 'ArticlesQuarantined',
  documentsWritten: 'DocumentsWritten',
  siteConfigRejected: 'SiteConfigRejected',
} as const;

/** What to watch. */
export interface PublisherMonitoringProps {
  /** The publish function. */
  readonly publishFunction: lambda.IFunction;
  /** The queue feeding it. */
  readonly queue: sqs.IQueue;
  /** Where messages go after failing every receive. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Topic notified when an alarm fires or recovers; none keeps the alarms console-only. */
  readonly alarmTopic?: sns.ITopic;
}

/**
 * Alarms on lost work (dead letters) and failing runs, plus one dashboard with publishes,
 * rejected articles, duration, queue age and dead-letter depth.
 */
export class PublisherMonitoring extends Construct {
  /** Fires as soon as one message sits in the dead-letter queue. */
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  /** Fires when a publish run fails. */
  public readonly errorsAlarm: cloudwatch.Alarm;
  /** Fires when an article was quarantined: its publish failed three deliveries for a reason other than S3. */
  public readonly quarantineAlarm: cloudwatch.Alarm;
  /** The operations dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  public constructor(scope: Construct, id: string, props: PublisherMonitoringProps) {
    super(scope, id);
    const deadLetters = props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' });
    this.deadLetterAlarm = deadLetters.createAlarm(this, 'DeadLetterAlarm', {
      alarmDescription: 'S3 events failed every retry: the feeds may not show the latest content. Inspect and redrive the DLQ.',
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const errors = props.publishFunction.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' });
    this.errorsAlarm = errors.createAlarm(this, 'ErrorsAlarm', {
      alarmDescription: 'The feed publisher failed; SQS retries it, check the function logs.',
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.quarantineAlarm = customMetric(PUBLISHER_METRICS.articlesQuarantined).createAlarm(this, 'QuarantineAlarm', {
      alarmDescription: 'An article kept failing its publish and was quarantined (rejected with the reason): see "Article quarantined" in the function logs.',
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopic) {
      for (const alarm of [this.deadLetterAlarm, this.errorsAlarm, this.quarantineAlarm]) {
        alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
        alarm.addOkAction(new actions.SnsAction(props.alarmTopic));
      }
    }
    this.dashboard = this.createDashboard(props, deadLetters);
  }

  private createDashboard(props: PublisherMonitoringProps, deadLetters: cloudwatch.IMetric): cloudwatch.Dashboard {
    const custom = customMetric;
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(7) });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Publishes',
        left: [props.publishFunction.metricInvocations({ statistic: 'Sum', label: 'Publish runs' }), custom(PUBLISHER_METRICS.documentsWritten)],
        right: [custom(PUBLISHER_METRICS.articlesPublished)],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Rejected input',
        left: [custom(PUBLISHER_METRICS.articlesRejected), custom(PUBLISHER_METRICS.siteConfigRejected), custom(PUBLISHER_METRICS.articlesQuarantined)],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Publish duration (ms)',
        left: [props.publishFunction.metricDuration({ statistic: 'p50' }), props.publishFunction.metricDuration({ statistic: 'Maximum' })],
        width: 8,
      }),
      new cloudwatch.GraphWidget({ title: 'Oldest queued event (s)', left: [props.queue.metricApproximateAgeOfOldestMessage()], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Dead letters', left: [deadLetters], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Errors and throttles', left: [props.publishFunction.metricErrors(), props.publishFunction.metricThrottles()], width: 8 }),
    );
    return dashboard;
  }
}

/** One of the function's own metrics, summed over five minutes. */
function customMetric(metricName: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: PUBLISHER_METRICS.namespace,
    metricName,
    dimensionsMap: { service: PUBLISHER_METRICS.service },
    statistic: 'Sum',
    period: Duration.minutes(5),
  });
}
