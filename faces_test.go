package main

import (
	"strings"
	"testing"
)

// faceConfig is a production configuration whose face adapter is the
// identity authority's service at base.
func faceConfig(base string) Config {
	c := DefaultConfig()
	c.Mode, c.KioskID = "production", "JL-CC-0001"
	c.Camera.Adapter, c.SMS.Adapter, c.Audio.Adapter = "v4l2", "modem", "silent"
	c.Face.Adapter, c.Face.BaseURL, c.Face.TokenFile = "http", base, "face.token"
	return c
}

// Production sends names, ID numbers and faces to the service over https
// only; the demo may use a plain http fake.
func TestProductionRefusesPlainHTTPFaceURL(t *testing.T) {
	for _, base := range []string{"http://faceauth.example.gov.cn", "http://127.0.0.1:8080", "faceauth.example.gov.cn",
		"ftp://faceauth.example.gov.cn"} {
		c := faceConfig(base)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "face.base_url") || !strings.Contains(err.Error(), "https") {
			t.Errorf("production with %q: %v", base, err)
		}
	}
	c := faceConfig("https://faceauth.example.gov.cn")
	if err := c.validateDevices(); err != nil {
		t.Errorf("production with https: %v", err)
	}
	c = faceConfig("http://127.0.0.1:8080")
	c.Mode, c.Camera.Adapter, c.SMS.Adapter = "demo", "replay", "simulated"
	if err := c.validateDevices(); err != nil {
		t.Errorf("demo with a local http fake: %v", err)
	}
}
