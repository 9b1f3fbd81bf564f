namespace Gatehouse.Engine.Geo;

/// <summary>A GeoIP source could not be used; the message names the file and, where it helps, the line.</summary>
public sealed class GeoDataException(string message, Exception? innerException = null) : Exception(message, innerException);
