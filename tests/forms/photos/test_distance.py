"""How far a photo was taken from its village: distance_km over the earth's surface."""

from __future__ import annotations

import pytest

from forms.photo_checks import distance_km


def test_distances_between_known_places():
    # Beijing's Tian'anmen to Shanghai's People's Square: about 1,067 km along the surface.
    assert distance_km(39.9087, 116.3975, 31.2304, 121.4737) == pytest.approx(1067, rel=0.01)
    # One minute of latitude is a nautical mile; one thousandth of a degree about 111 m.
    assert distance_km(30.0, 114.0, 30.0 + 1 / 60, 114.0) == pytest.approx(1.853, rel=0.005)
    assert distance_km(30.0, 114.0, 30.001, 114.0) * 1000 == pytest.approx(111.2, rel=0.01)
    # A degree of longitude shrinks with the latitude: half as long at 60 degrees.
    assert distance_km(60.0, 10.0, 60.0, 11.0) == pytest.approx(
        distance_km(0.0, 10.0, 0.0, 11.0) / 2, rel=0.01
    )


def test_the_same_place_and_the_far_side_of_the_earth():
    assert distance_km(30.5, 114.3, 30.5, 114.3) == 0
    assert distance_km(0.0, 0.0, 0.0, 180.0) == pytest.approx(20015, rel=0.001)
    assert distance_km(90.0, 0.0, -90.0, 0.0) == pytest.approx(20015, rel=0.001)
    assert distance_km(10.0, 179.9, 10.0, -179.9) < 25  # across the date line, not around the world
