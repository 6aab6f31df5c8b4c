//go:build !oldsdk

package interop

// newerThanSDK lists what our .proto files have that the SDK in use does not: nothing for the
// newest SDK, whose descriptors must hold every field and method we declare.
var newerThanSDK = map[string]bool{}
