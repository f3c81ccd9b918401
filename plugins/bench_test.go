package plugins

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/protobuf/proto"

	"github.com/passerelle-sante/passerelle/mediation"
	"github.com/passerelle-sante/passerelle/mediation/lamednum"
	"github.com/passerelle-sante/passerelle/plugins/internal/wire"
	pb "github.com/passerelle-sante/passerelle/plugins/proto"
)

func openBench(b *testing.B, name string, env ...string) *Plugin {
	b.Helper()
	dir, m := install(b, name)
	p, err := Open(dir, m.Name, &Options{Env: env, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { p.Close() })
	return p
}

// BenchmarkCallRoundTrip: one unary call to a real plugin process, against
// the same call over an in-process gRPC connection (the baseline).
func BenchmarkCallRoundTrip(b *testing.B) {
	ctx := context.Background()
	b.Run("subprocess", func(b *testing.B) {
		p := openBench(b, "sink-jsonl")
		if err := p.Start(ctx); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for b.Loop() {
			if err := p.Start(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("in-process-baseline", func(b *testing.B) {
		c, _ := goplugin.TestPluginGRPCConn(b, false, wire.Plugins(wire.Manifest{Name: "x"}, wire.Impls{}))
		defer c.Close()
		v, _ := c.Dispense(wire.KindDescribe)
		d := v.(*wire.DescribeClient)
		for b.Loop() {
			if _, err := d.Describe(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// bigFeed writes n places (the Charente file repeated with new ids) as a
// LaMednum v1 JSON file.
func bigFeed(b *testing.B, n int) (string, []mediation.Place) {
	b.Helper()
	base := charentePlaces(b)
	places := make([]mediation.Place, n)
	for i := range places {
		places[i] = base[i%len(base)]
		places[i].ID = fmt.Sprintf("%s-%d", base[i%len(base)].ID, i)
	}
	file := filepath.Join(b.TempDir(), "feed.json")
	f, err := os.Create(file)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := lamednum.EncodeJSON(context.Background(), f, places); err != nil {
		b.Fatal(err)
	}
	return file, places
}

// processCPU returns the user and system CPU time of process pid so far
// (0: this process), read from /proc; 0 where it cannot be read.
func processCPU(pid int) time.Duration {
	if pid == 0 {
		pid = os.Getpid()
	}
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command name (which may hold spaces) start at
	// the last ')'; utime and stime are the 14th and 15th, in clock ticks
	// of 10 ms.
	s := string(raw)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(fields[11], 10, 64)
	st, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// BenchmarkDirectoryStream: a full snapshot streamed from a real plugin
// in packed batches, in places per second, against the same stream as
// Place messages (the encoding before, the baseline), and the encode and
// decode of both encodings in process (the cost of the messages alone).
func BenchmarkDirectoryStream(b *testing.B) {
	const n = 50_000
	file, places := bigFeed(b, n)
	ctx := context.Background()
	stream := func(placeMessages bool) func(b *testing.B) {
		return func(b *testing.B) {
			p := openBench(b, "directory-lamednum", "LAMEDNUM_FILE="+file)
			src, _ := p.Directory()
			src.placeMessages = placeMessages
			count := func() int {
				got := 0
				if err := src.Places(ctx, "", func(bt Batch) error { got += len(bt.Places); return nil }); err != nil {
					b.Fatal(err)
				}
				return got
			}
			if got := count(); got != n { // warm: the plugin reads its file once
				b.Fatalf("%d places, want %d", got, n)
			}
			pid := p.pid()
			hostCPU, pluginCPU := processCPU(0), processCPU(pid)
			b.ResetTimer()
			for b.Loop() {
				count()
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "places/s")
			// CPU time of both processes per place: what the stream costs
			// whatever else the machine is doing.
			if pid > 0 {
				used := processCPU(0) - hostCPU + processCPU(pid) - pluginCPU
				b.ReportMetric(float64(used.Nanoseconds())/float64(n*b.N), "cpu-ns/place")
			}
		}
	}
	b.Run("subprocess-packed", stream(false))
	b.Run("subprocess-place-messages-baseline", stream(true))
	b.Run("in-process-packed", func(b *testing.B) {
		for b.Loop() {
			got := 0
			err := wire.SendPacked(ctx, places, nil, "c", true, wire.DefaultBatchSize, func(m *pb.PlaceBatch) error {
				raw, err := proto.Marshal(m)
				if err != nil {
					return err
				}
				var back pb.PlaceBatch
				if err := proto.Unmarshal(raw, &back); err != nil {
					return err
				}
				ps, err := wire.Unpack(back.Packed, int(back.PackedCount))
				got += len(ps)
				return err
			})
			if err != nil || got != n {
				b.Fatal(got, err)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "places/s")
	})
	b.Run("in-process-place-messages-baseline", func(b *testing.B) {
		for b.Loop() {
			got := 0
			err := wire.SendBatches(ctx, places, nil, "c", true, wire.DefaultBatchSize, func(m *pb.PlaceBatch) error {
				b, err := proto.Marshal(m)
				if err != nil {
					return err
				}
				var back pb.PlaceBatch
				if err := proto.Unmarshal(b, &back); err != nil {
					return err
				}
				for _, pm := range back.Places {
					_ = wire.PlaceFromPB(pm)
					got++
				}
				return nil
			})
			if err != nil || got != n {
				b.Fatal(got, err)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "places/s")
	})
}

// BenchmarkLoadRealDirectory: the Charente directory loaded from a plugin
// into the host's index, against building the index from the same places
// in process (the baseline).
func BenchmarkLoadRealDirectory(b *testing.B) {
	feed, _ := filepath.Abs("testdata/lmn-v1-charente-2023-07-11.json")
	ctx := context.Background()
	b.Run("subprocess", func(b *testing.B) {
		p := openBench(b, "directory-lamednum", "LAMEDNUM_FILE="+feed)
		src, _ := p.Directory()
		if _, err := NewMirror(src, nil).Refresh(ctx); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for b.Loop() {
			if _, err := NewMirror(src, nil).Refresh(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("in-process-baseline", func(b *testing.B) {
		places := charentePlaces(b)
		for b.Loop() {
			if _, err := mediation.NewIndex(places, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkColdStart: open (verify), start, handshake, first call and
// stop of a plugin, against starting the same binary as a plain process
// (baseline). "plugin" is every start after the first in a host: the
// binary's digest is remembered while its file is untouched.
// "plugin-first-start" forgets it each time, so it hashes the binary once
// (it used to be hashed twice: at Open and by go-plugin before exec);
// "sha256-of-binary" is that hash alone.
func BenchmarkColdStart(b *testing.B) {
	ctx := context.Background()
	start := func(forget bool) func(b *testing.B) {
		return func(b *testing.B) {
			dir, m := install(b, "sink-jsonl")
			for b.Loop() {
				if forget {
					verifiedSums.Clear()
				}
				p, err := Open(dir, m.Name, &Options{Logger: slog.New(slog.DiscardHandler)})
				if err != nil {
					b.Fatal(err)
				}
				if err := p.Start(ctx); err != nil {
					b.Fatal(err)
				}
				p.Close()
			}
		}
	}
	b.Run("plugin", start(false))
	b.Run("plugin-first-start", start(true))
	b.Run("sha256-of-binary", func(b *testing.B) {
		bin := built(b, "sink-jsonl")
		for b.Loop() {
			if _, err := FileSHA256(bin); err != nil {
				b.Fatal(err)
			}
		}
	})
	// go-plugin's AutoMTLS makes a P-521 certificate on each side at each
	// start; the same with P-256 shows what the curve costs.
	for _, c := range []struct {
		name  string
		curve elliptic.Curve
	}{{"automtls-p521-certificate", elliptic.P521()}, {"p256-certificate", elliptic.P256()}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				key, err := ecdsa.GenerateKey(c.curve, rand.Reader)
				if err != nil {
					b.Fatal(err)
				}
				tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), DNSNames: []string{"localhost"}, NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
				if _, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("exec-describe-baseline", func(b *testing.B) {
		bin := built(b, "sink-jsonl")
		for b.Loop() {
			if err := exec.Command(bin, "describe").Run(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
