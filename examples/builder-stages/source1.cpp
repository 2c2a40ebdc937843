#include <iostream>
int main() { std::cout << "build1\n"; }
