package pluginpb_test

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	pluginpb "github.com/passerelle-sante/passerelle/plugins/proto"
)

// Messages round-trip through the protobuf wire format.
func ExampleManifest() {
	m := &pluginpb.Manifest{Name: "directory-lamednum", Version: "0.1.0", Kinds: []string{"directory"}, Protocol: 1}
	b, _ := proto.Marshal(m)
	var back pluginpb.Manifest
	if err := proto.Unmarshal(b, &back); err != nil {
		fmt.Println(err)
	}
	fmt.Println(back.GetName(), back.GetKinds(), back.GetProtocol())
	// Output: directory-lamednum [directory] 1
}
