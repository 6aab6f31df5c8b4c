package interop

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/bufbuild/protocompile"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// compileOurProtos parses proto/*.proto exactly as committed.
func compileOurProtos(t *testing.T) map[string]protoreflect.FileDescriptor {
	t.Helper()
	compiler := protocompile.Compiler{
		Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
			ImportPaths: []string{filepath.Join("..", "..", "proto")},
		}),
	}
	names := []string{"pluginv2.proto", "goplugin.proto", "health.proto"}
	files, err := compiler.Compile(context.Background(), names...)
	if err != nil {
		t.Fatalf("compiling our .proto files: %v", err)
	}
	out := map[string]protoreflect.FileDescriptor{}
	for i, file := range files {
		out[names[i]] = file
	}
	return out
}

// reference finds the host's descriptor: the SDK's pluginv2, and go-plugin's / grpc's own
// registrations for plugin.* and grpc.health.v1.*.
func reference(name protoreflect.FullName) (protoreflect.Descriptor, error) {
	if d := pluginv2.File_backend_proto.Messages().ByName(name.Name()); d != nil && d.FullName() == name {
		return d, nil
	}
	return protoregistry.GlobalFiles.FindDescriptorByName(name)
}

func compareMessage(t *testing.T, ours protoreflect.MessageDescriptor) {
	t.Helper()
	ref, err := reference(ours.FullName())
	if err != nil && newerThanSDK[string(ours.FullName())] {
		t.Logf("message %s is newer than this SDK", ours.FullName())
		return
	}
	if err != nil {
		t.Errorf("message %s: not in the host's descriptors: %v", ours.FullName(), err)
		return
	}
	theirs, ok := ref.(protoreflect.MessageDescriptor)
	if !ok {
		t.Errorf("%s is not a message in the host's descriptors", ours.FullName())
		return
	}
	for i := 0; i < ours.Fields().Len(); i++ {
		field := ours.Fields().Get(i)
		other := theirs.Fields().ByNumber(field.Number())
		where := string(ours.FullName()) + "." + string(field.Name())
		switch {
		case other == nil && newerThanSDK[where]:
			t.Logf("%s (number %d) is newer than this SDK", where, field.Number())
		case other == nil:
			t.Errorf("%s: field number %d does not exist in the SDK", where, field.Number())
		case other.Name() != field.Name():
			t.Errorf("%s: number %d is %q in the SDK", where, field.Number(), other.Name())
		case other.Kind() != field.Kind() || other.Cardinality() != field.Cardinality() || other.IsMap() != field.IsMap():
			t.Errorf("%s: type %v/%v (map %v) but SDK has %v/%v (map %v)", where, field.Kind(), field.Cardinality(),
				field.IsMap(), other.Kind(), other.Cardinality(), other.IsMap())
		case field.Message() != nil && field.Message().FullName() != other.Message().FullName():
			if !field.IsMap() {
				t.Errorf("%s: message type %s but SDK has %s", where, field.Message().FullName(), other.Message().FullName())
			}
		case field.Enum() != nil && field.Enum().FullName() != other.Enum().FullName():
			t.Errorf("%s: enum %s but SDK has %s", where, field.Enum().FullName(), other.Enum().FullName())
		}
		if other == nil {
			continue
		}
		if field.IsMap() && other.IsMap() {
			if field.MapValue().Kind() != other.MapValue().Kind() || field.MapKey().Kind() != other.MapKey().Kind() {
				t.Errorf("%s: map types differ from the SDK", where)
			}
		}
		if field.Enum() != nil && other.Enum() != nil {
			values := field.Enum().Values()
			for j := 0; j < values.Len(); j++ {
				value := values.Get(j)
				if o := other.Enum().Values().ByNumber(value.Number()); o == nil || o.Name() != value.Name() {
					t.Errorf("%s: enum value %s=%d differs from the SDK", where, value.Name(), value.Number())
				}
			}
		}
	}
	for i := 0; i < ours.Messages().Len(); i++ {
		if !ours.Messages().Get(i).IsMapEntry() {
			compareMessage(t, ours.Messages().Get(i))
		}
	}
}

func compareService(t *testing.T, ours protoreflect.ServiceDescriptor) {
	t.Helper()
	ref, err := reference(ours.FullName())
	if err != nil {
		t.Errorf("service %s: not in the host's descriptors: %v", ours.FullName(), err)
		return
	}
	theirs := ref.(protoreflect.ServiceDescriptor)
	for i := 0; i < ours.Methods().Len(); i++ {
		method := ours.Methods().Get(i)
		other := theirs.Methods().ByName(method.Name())
		switch {
		case other == nil && newerThanSDK[string(ours.FullName())+"/"+string(method.Name())]:
			t.Logf("%s/%s is newer than this SDK", ours.FullName(), method.Name())
		case other == nil:
			t.Errorf("%s/%s: no such method in the host's descriptor", ours.FullName(), method.Name())
		case other.Input().FullName() != method.Input().FullName() || other.Output().FullName() != method.Output().FullName():
			t.Errorf("%s/%s: message types differ", ours.FullName(), method.Name())
		case other.IsStreamingClient() != method.IsStreamingClient() || other.IsStreamingServer() != method.IsStreamingServer():
			t.Errorf("%s/%s: streaming differs", ours.FullName(), method.Name())
		}
	}
}

// TestProtoMatchesHostDescriptors checks every field number and type of our .proto files
// against the descriptors compiled into grafana-plugin-sdk-go, go-plugin and grpc.
func TestProtoMatchesHostDescriptors(t *testing.T) {
	checked := 0
	for _, file := range compileOurProtos(t) {
		for i := 0; i < file.Messages().Len(); i++ {
			compareMessage(t, file.Messages().Get(i))
			checked++
		}
		for i := 0; i < file.Services().Len(); i++ {
			compareService(t, file.Services().Get(i))
			checked++
		}
	}
	if checked < 20 {
		t.Fatalf("only %d messages/services checked; the .proto files look incomplete", checked)
	}
	t.Logf("checked %d messages and services against the SDK's descriptors", checked)
}
