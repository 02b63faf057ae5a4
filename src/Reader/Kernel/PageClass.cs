namespace HvDumpKit.Reader.Kernel;

/// <summary>Why a page is excluded, in makedumpfile's report terms.</summary>
public enum PageClass : byte
{
    Keep = 0,
    Cache,          // "Non-private cache pages"
    CachePrivate,   // "Private cache pages"
    User,           // "User process data pages"
    Free,           // "Free pages"
    HwPoison,       // "Hwpoison pages"
    Offline,        // "Offline pages"
}
