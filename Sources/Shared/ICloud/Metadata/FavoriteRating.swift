/// `xmp:Rating` of a photo (docs/references.md#icloudpd-metadata): -1 for hidden or deleted photos, the
/// favourite rating for favourites (`--favorite-to-rating N`, else icloudpd's fixed 5), none
/// otherwise.
public struct FavoriteRating: Sendable, Equatable {
    /// `--favorite-to-rating N`; nil keeps icloudpd 1.32's 5.
    public var favoriteRating: Int?

    public init(favoriteRating: Int? = nil) { self.favoriteRating = favoriteRating }

    public func rating(_ asset: PhotoAsset) -> Int? {
        if asset.isHidden || asset.isDeleted { return -1 }
        if asset.isFavorite { return favoriteRating ?? 5 }
        return nil
    }
}
