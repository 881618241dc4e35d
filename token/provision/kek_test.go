package provision_test

import (
	"errors"
	"testing"

	"securemedia/token"
	"securemedia/token/provision"
	"securemedia/token/provision/provisiontest"
)

func TestCreateKEKMakesAKeyOpenKEKTakesAndNeverReplacesIt(t *testing.T) {
	d := provisiontest.NewCard(t, provision.DemoCardOptions{Label: "SECUREMEDIA KEK", KeyType: "p256"})
	c := token.Config{Module: d.Module, URI: "pkcs11:token=SECUREMEDIA%20KEK;object=media-kek",
		PIN: func() ([]byte, error) { return []byte(provisiontest.PIN), nil }}
	if err := provision.CreateKEK(c, ""); err != nil {
		t.Fatalf("CreateKEK: %v", err)
	}
	k, err := token.OpenKEK(c, "")
	if err != nil {
		t.Fatalf("OpenKEK of the created key: %v", err)
	}
	k.Close()
	if err := provision.CreateKEK(c, "media-kek"); !errors.Is(err, provision.ErrKEKExists) {
		t.Fatalf("second CreateKEK: err = %v, want ErrKEKExists", err)
	}
}
