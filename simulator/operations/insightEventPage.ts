// Insights events as LookupEvents and ListInsightsData list them: filtered by one of EventId, EventName or
// EventSource, newest first (ties by event id), each with its CloudTrailEvent record.
import { insightRecord, type InsightEvent } from '../data/insightEvents';

export interface InsightFilter {
  key: string;
  value: string;
}

/** The events a filter keeps (any key but EventId, EventName, EventSource keeps none), newest first. */
export function matchingEvents(events: InsightEvent[], filter: InsightFilter | undefined): InsightEvent[] {
  return events
    .filter((e) => {
      if (!filter) {
        return true;
      }
      const s = e.episode.series;
      switch (filter.key) {
        case 'EventId':
          return e.eventId === filter.value;
        case 'EventName':
          return s.eventName === filter.value;
        case 'EventSource':
          return s.eventSource === filter.value;
        default:
          return false;
      }
    })
    .sort((a, b) => b.eventTimeMs - a.eventTimeMs || (a.eventId < b.eventId ? -1 : 1));
}

/** One entry of an Events list (botocore's Event shape; EventTime in epoch seconds). */
export function eventEntry(e: InsightEvent, accountId: string, region: string): Record<string, unknown> {
  const s = e.episode.series;
  return {
    EventId: e.eventId,
    EventName: s.eventName,
    EventTime: e.eventTimeMs / 1000,
    EventSource: s.eventSource,
    Resources: [],
    CloudTrailEvent: JSON.stringify(insightRecord(e, accountId, region)),
  };
}
