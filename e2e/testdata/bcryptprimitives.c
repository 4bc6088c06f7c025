/*
 * bcryptprimitives.dll for Wine 8, which has none: Go programs for Windows
 * (Go 1.24 and later) get their random numbers from its ProcessPrng and do
 * not start without it. This one fills the buffer from RtlGenRandom
 * (advapi32's SystemFunction036), which Wine has. Real Windows has the DLL
 * since Windows 10; this is test support only, built by the Windows smoke
 * test (e2e/windows_smoke_test.go) with MinGW-w64 into the system32 folder
 * of its temporary Wine prefix:
 *
 *   x86_64-w64-mingw32-gcc -shared -O2 -s -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
	while (size > 0) {
		ULONG n = size > 0x40000000 ? 0x40000000 : (ULONG)size;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		size -= n;
	}
	return TRUE;
}
