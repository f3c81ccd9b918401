// Package pluginpb is the wire contract between the passerelle host and its
// provider plugins: the .proto and the Go code generated from it, committed
// so that building needs no protoc. Only plugins and plugins/sdk import it;
// the domain never sees gRPC. Regenerate with go generate (protoc 3.21,
// protoc-gen-go v1.36.12, protoc-gen-go-grpc 1.6.1); TestGeneratedCodeIsCurrent
// diffs a fresh generation against the committed files.
package pluginpb

//go:generate protoc --proto_path=. --go_out=. --go_opt=paths=source_relative --go-grpc_out=. --go-grpc_opt=paths=source_relative passerelle_plugin.proto
