// Command proto99 is a test plugin that describes itself as protocol 1
// but serves only protocol 99, to test the host's refusal.
package main

import (
	"fmt"
	"os"

	goplugin "github.com/hashicorp/go-plugin"

	"github.com/passerelle-sante/passerelle/plugins/internal/wire"
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == "describe" {
		fmt.Println(`{"name":"proto99","version":"9.9.9","kinds":["event_sink"],"protocol":1}`)
		return
	}
	h := wire.Handshake()
	h.ProtocolVersion = 99
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig:  h,
		VersionedPlugins: map[int]goplugin.PluginSet{99: wire.Plugins(wire.Manifest{Name: "proto99"}, wire.Impls{})},
		GRPCServer:       goplugin.DefaultGRPCServer,
	})
}
