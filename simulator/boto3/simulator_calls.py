"""Calls the CloudTrail simulator through boto3 -- a client nobody here wrote, with botocore's own model,
target spelling, SigV4 signer, parsers and paginators -- and prints what it saw as one JSON object.
The jest test beside it (boto3.test.ts) starts the simulator, runs this script in a venv and checks the
answers. Usage: python simulator_calls.py '<json settings>' (see boto3.test.ts for the settings)."""
import json
import sys
from datetime import datetime, timezone

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError


def when(ms):
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc)


def epoch_ms(value):
    return round(value.timestamp() * 1000)


def error_of(call):
    """The error code, message and HTTP status of a call that must fail (None if it succeeds)."""
    try:
        call()
    except ClientError as e:
        return {
            "code": e.response["Error"]["Code"],
            "message": e.response["Error"]["Message"],
            "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
        }
    return None


def trails(answer):
    keys = ["Name", "TrailARN", "HomeRegion", "IsMultiRegionTrail", "IsOrganizationTrail", "HasInsightSelectors"]
    return [{k: t.get(k) for k in keys} for t in answer["trailList"]]


def main():
    settings = json.loads(sys.argv[1])
    session = boto3.session.Session(
        aws_access_key_id=settings["accessKeyId"],
        aws_secret_access_key=settings["secretAccessKey"],
    )

    def client(region):
        return session.client(
            "cloudtrail",
            region_name=region,
            endpoint_url=settings["endpoint"],
            config=Config(retries={"max_attempts": 1, "mode": "standard"}),
        )

    home = client("us-east-1")
    other = client(settings["otherRegion"])
    out = {"boto3": boto3.__version__, "botocore": botocore.__version__}

    out["describeTrails"] = trails(home.describe_trails(includeShadowTrails=True))
    out["describeTrailsOtherRegion"] = trails(other.describe_trails())
    out["describeTrailsOtherRegionNoShadows"] = trails(other.describe_trails(includeShadowTrails=False))

    selectors = home.get_insight_selectors(TrailName=settings["dataTrailName"])
    out["insightSelectors"] = {"TrailARN": selectors["TrailARN"], "InsightSelectors": selectors["InsightSelectors"]}
    store = home.get_insight_selectors(EventDataStore=settings["eventDataStore"])
    out["eventDataStoreSelectors"] = {k: store.get(k) for k in ["EventDataStoreArn", "InsightsDestination", "InsightSelectors"]}
    out["selectorsWithBoth"] = error_of(
        lambda: home.get_insight_selectors(TrailName=settings["dataTrailName"], EventDataStore=settings["eventDataStore"])
    )

    episode = settings["episode"]
    series = {
        "EventSource": episode["eventSource"],
        "EventName": episode["eventName"],
        "InsightType": episode["insightType"],
        **({"ErrorCode": episode["errorCode"]} if episode.get("errorCode") else {}),
        "Period": 60,
        "StartTime": when(episode["startMs"]),
        "EndTime": when(episode["endMs"]),
    }

    def metric(answer):
        return {
            "TrailARN": answer.get("TrailARN"),
            "timestamps": [epoch_ms(t) for t in answer["Timestamps"]],
            "values": answer["Values"],
        }

    out["metricWithTrailName"] = metric(home.list_insights_metric_data(TrailName=settings["dataTrailName"], **series))
    out["metricWithTrailArn"] = metric(home.list_insights_metric_data(TrailName=settings["dataTrailArn"], **series))
    out["metricWithoutTrail"] = metric(home.list_insights_metric_data(**series))
    out["errorCodeOutsidePattern"] = error_of(
        lambda: home.list_insights_metric_data(
            EventSource="sts.amazonaws.com",
            EventName="AssumeRole",
            InsightType="ApiErrorRateInsight",
            ErrorCode="Access Denied!",
        )
    )

    pages = home.get_paginator("list_insights_data").paginate(
        InsightSource=settings["dataTrailArn"],
        DataType="InsightsEvents",
        PaginationConfig={"PageSize": settings["pageSize"]},
    )
    events, page_sizes = [], []
    for page in pages:
        page_sizes.append(len(page["Events"]))
        for e in page["Events"]:
            record = json.loads(e["CloudTrailEvent"])
            events.append(
                {
                    "EventId": e["EventId"],
                    "EventName": e["EventName"],
                    "EventSource": e["EventSource"],
                    "EventTime": epoch_ms(e["EventTime"]),
                    "state": record["insightDetails"]["state"],
                    "insightId": record["sharedEventID"],
                }
            )
    out["insightsData"] = {"pageSizes": page_sizes, "events": events}
    filtered = home.list_insights_data(
        InsightSource=settings["dataTrailArn"],
        DataType="InsightsEvents",
        Dimensions={"EventName": episode["eventName"]},
        StartTime=when(episode["startMs"]),
        EndTime=when(episode["startMs"]),
    )
    out["insightsDataFiltered"] = [e["EventId"] for e in filtered["Events"]]
    out["insightsDataMaxResults51"] = error_of(
        lambda: home.list_insights_data(InsightSource=settings["dataTrailArn"], DataType="InsightsEvents", MaxResults=51)
    )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
