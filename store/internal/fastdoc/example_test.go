package fastdoc_test

import (
	"fmt"

	"github.com/passerelle-sante/passerelle/referral"
	"github.com/passerelle-sante/passerelle/store/internal/fastdoc"
)

// One Decoder per stream; the record is reused from one document to the
// next.
func ExampleDecoder_Referral() {
	var d fastdoc.Decoder
	var r referral.Referral
	docs := []string{
		`{"id":"6f1c2a8e-3b1d-4c5e-9f00-0123456789ab","created_at":"2025-03-02T09:30:00Z","status":"accepted","history":[{"to":"proposed","at":"2025-03-02T09:30:00Z"},{"from":"proposed","to":"accepted","at":"2025-03-03T10:00:00Z"}]}`,
		`{"id": "7f1c2a8e-3b1d-4c5e-9f00-0123456789ab", "status": "proposed", "history": []}`,
		`{"id": 12}`,
	}
	for _, doc := range docs {
		if err := d.Referral([]byte(doc), &r); err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(r.ID.String()[:8], r.Status, len(r.History), r.CreatedAt.Format("2006-01-02"))
	}
	// Output:
	// 6f1c2a8e accepted 2 2025-03-02
	// 7f1c2a8e proposed 0 0001-01-01
	// error: json: cannot unmarshal number into Go struct field Referral.id of type uuid.UUID
}
