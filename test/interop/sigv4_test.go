package interop

// The simulator's SigV4 check against another SDK's signer: a request signed by aws-sdk-go-v2
// (which signs no x-amz-content-sha256 header, unlike aws-sdk-js-v3) is accepted, and the same
// request with its body changed after signing is refused.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	sigv4KeyID  = "AKIAGOSIGNER0000001"
	sigv4Secret = "go-signer-secret"
)

// goSignedDescribeTrails is a DescribeTrails call signed by aws-sdk-go-v2 over `signedBody`,
// sent with `sentBody`.
func goSignedDescribeTrails(t *testing.T, endpoint, signedBody, sentBody string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, endpoint+"/", bytes.NewReader([]byte(sentBody)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "CloudTrail_20131101.DescribeTrails")
	sum := sha256.Sum256([]byte(signedBody))
	credentials := aws.Credentials{AccessKeyID: sigv4KeyID, SecretAccessKey: sigv4Secret}
	if err := v4.NewSigner().SignHTTP(context.Background(), credentials, req, hex.EncodeToString(sum[:]), "cloudtrail", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	if req.Header.Get("X-Amz-Content-Sha256") != "" {
		t.Fatal("aws-sdk-go-v2 now sends x-amz-content-sha256; this test no longer covers a request without it")
	}
	response, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = response.Body.Close() })
	return response
}

func TestSimulatorAcceptsGoSignedRequests(t *testing.T) {
	endpoint := startSimulator(t, "--credentials", sigv4KeyID+":"+sigv4Secret+":123456789012")

	t.Run("a request signed by aws-sdk-go-v2 is accepted", func(t *testing.T) {
		response := goSignedDescribeTrails(t, endpoint, "{}", "{}")
		body, _ := io.ReadAll(response.Body)
		if response.StatusCode != http.StatusOK {
			t.Fatalf("status %d: %s", response.StatusCode, body)
		}
		var out struct{ TrailList []struct{ TrailARN string } }
		if err := json.Unmarshal(body, &out); err != nil || len(out.TrailList) == 0 {
			t.Fatalf("no trails in %s (%v)", body, err)
		}
		if want := "arn:aws:cloudtrail:us-east-1:123456789012:"; len(out.TrailList[0].TrailARN) < len(want) || out.TrailList[0].TrailARN[:len(want)] != want {
			t.Errorf("trail ARN %q is not in the configured account", out.TrailList[0].TrailARN)
		}
	})

	t.Run("the same request with its body changed after signing is refused", func(t *testing.T) {
		response := goSignedDescribeTrails(t, endpoint, "{}", `{"trailNameList":["x"]}`)
		body, _ := io.ReadAll(response.Body)
		if response.StatusCode != http.StatusBadRequest || !bytes.Contains(body, []byte("InvalidSignatureException")) {
			t.Fatalf("status %d: %s, want 400 InvalidSignatureException", response.StatusCode, body)
		}
	})
}
